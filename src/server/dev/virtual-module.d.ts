/** The module the Vite plugin (`partwiseServer`) serves to client code: the server's origin only. */
declare module 'virtual:partwise-server' {
  /** The reference server's origin, e.g. `http://127.0.0.1:43121`; '' in a build. */
  export const url: string
  const server: { url: string }
  export default server
}
