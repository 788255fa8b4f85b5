#!/usr/bin/env node
// Renders the package icon the Marketplace and Open VSX show (media/icon.png, 256x256; registries take PNG,
// not SVG) from the activity-bar glyph media/tandem.svg, so the two never drift apart: the glyph, drawn in
// white, on a rounded square in the colour of package.json's galleryBanner. The PNG is committed; run this
// again after changing the glyph. Needs rsvg-convert (Debian: apt-get install librsvg2-bin).
// Usage: node scripts/render-icon.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 256;
const glyph = readFileSync(join(ROOT, 'media/tandem.svg'), 'utf8');
const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(glyph)?.[1];
if (!inner) throw new Error('media/tandem.svg: no <svg> element');
const background = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).galleryBanner?.color ?? '#0e639c';

// The glyph's 24-unit box scaled 8x (192 px) and centred, with the stroke it has in the activity bar.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <rect width="${SIZE}" height="${SIZE}" rx="48" fill="${background}"/>
  <g transform="translate(32 30) scale(8)" fill="none" stroke="#ffffff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">${inner}</g>
</svg>`;
const work = mkdtempSync(join(tmpdir(), 'tandem-icon-'));
try {
  writeFileSync(join(work, 'icon.svg'), svg);
  const r = spawnSync('rsvg-convert', ['-w', String(SIZE), '-h', String(SIZE), '-o', join(ROOT, 'media/icon.png'), join(work, 'icon.svg')], { encoding: 'utf8' });
  if (r.error) throw new Error(`rsvg-convert not found (apt-get install librsvg2-bin): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`rsvg-convert failed: ${r.stderr}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log('media/icon.png');
