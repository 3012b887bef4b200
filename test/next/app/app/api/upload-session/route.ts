import { createUploadSession, UploadSessionError } from 'partwise/server'

export async function POST(request: Request): Promise<Response> {
  const { name } = (await request.json()) as { name?: string | null }
  try {
    const session = await createUploadSession({
      apiKey: process.env.UPLOAD_API_KEY ?? '',
      baseUrl: process.env.UPLOAD_API_URL ?? '',
      resumable: true,
      metadata: { name: name ?? null },
    })
    return Response.json(session)
  } catch (error) {
    if (error instanceof UploadSessionError) {
      return Response.json({ error: error.message }, { status: 502 })
    }
    throw error
  }
}
