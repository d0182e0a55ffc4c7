declare module '*.css' {
  /** CSS bundled as text by esbuild's text loader. */
  const text: string;
  export default text;
}
