import { url as serverUrl } from 'virtual:partwise-server'
import { useEffect, useState } from 'react'

/**
 * Faults injected by the reference server's control API (on for the demo only): a share of
 * parts answered 503, latency on every part, or every part dropped as if the server were
 * unreachable. Changes apply to the next requests.
 */
export function NetworkPanel() {
  const [errorRate, setErrorRate] = useState(0)
  const [latency, setLatency] = useState(0)
  const [unreachable, setUnreachable] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    const part = { method: 'PUT', path: '/store/resumable' }
    const rules = [
      ...(unreachable ? [{ ...part, drop: true }] : []),
      ...(errorRate > 0 ? [{ ...part, status: 503, probability: errorRate / 100 }] : []),
      ...(latency > 0 ? [{ ...part, latencyMs: latency }] : []),
    ]
    fetch(`${serverUrl}/__control/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules }),
    }).then(
      (response) =>
        setProblem(response.ok ? null : `The server refused the faults (${response.status})`),
      () => setProblem('The reference server is not reachable'),
    )
  }, [errorRate, latency, unreachable])

  return (
    <fieldset className="network">
      <legend>Network panel</legend>
      <label>
        Parts answered 503: {errorRate}%
        <input
          type="range"
          min={0}
          max={80}
          step={10}
          value={errorRate}
          onChange={(e) => setErrorRate(Number(e.target.value))}
        />
      </label>
      <label>
        Latency per part: {latency} ms
        <input
          type="range"
          min={0}
          max={2000}
          step={100}
          value={latency}
          onChange={(e) => setLatency(Number(e.target.value))}
        />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={unreachable}
          onChange={(e) => setUnreachable(e.target.checked)}
        />
        Server unreachable (drop every part)
      </label>
      {problem && <p role="alert">{problem}</p>}
    </fieldset>
  )
}
