// Two bundles (plus the headless CLI and the SDK on the extension's code):
//   extension + cli: node / cjs, `vscode` and `node-pty` external (node-pty ships in the VSIX as a native module)
//   sdk: node / cjs, the `tandem/sdk` export (src/sdk)
//   webview: browser / esm, React; CSS and codicon font emitted next to it
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'node-pty'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['node-pty'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // `tandem/sdk` (package.json "exports"): the same core for scripts; node-pty stays external as in the CLI.
    ...common,
    entryPoints: { sdk: 'src/sdk/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['node-pty'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview/src/main.tsx' },
    // V8's explicit compile hint: compile every function while the script streams in at load, off the main
    // thread, instead of lazily on first call. Without it, opening a long chat compiled ~210 functions
    // (markdown-it, the row components) inside its first frame: a third of that frame's CPU time.
    banner: { js: '//# allFunctionsCalledOnLoad' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
  },
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
