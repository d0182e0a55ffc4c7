import { fileURLToPath } from 'node:url';

let cached: Promise<string> | undefined;

/**
 * The dashboard page: web/dashboard.ts bundled by esbuild with uPlot and its CSS, inlined into one HTML document, so
 * it works offline (no CDN). Built once per process, on first request.
 */
export function dashboardPage(): Promise<string> {
  cached ??= build();
  return cached;
}

async function build(): Promise<string> {
  const { build: esbuild } = await import('esbuild');
  const result = await esbuild({
    entryPoints: [fileURLToPath(new URL('../../web/dashboard.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: 'es2022',
    loader: { '.css': 'text' },
    logLevel: 'silent',
  });
  const script = result.outputFiles[0]?.text ?? '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>TechModa local cloud</title><link rel="icon" href="data:,"></head><body><div id="app">Loading the dashboard...</div><script>${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
}
