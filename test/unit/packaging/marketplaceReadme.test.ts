// The README on the extension page is the one inside the VSIX (extension/readme.md): the Marketplace, Open
// VSX and VS Code's Extensions view all show that file. It must be the short user-facing one in
// media/marketplace/ (not the developer README), and every image it shows must be in the package at the path
// it names (relative to the package root, where vsce puts readme.md) or an absolute https URL. A package is
// built for real by scripts/package-targets.mjs (linux-x64, on bundles built into a temp folder), and the
// `package` npm script is checked to hand vsce the same README options, so both ways of packaging agree.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, ROOT } from './buildBundles';
import { zipEntries, type ZipEntry } from './zipEntries';

const README = 'media/marketplace/README.md';
const MAX_IMAGE_BYTES = 200 * 1024;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { description: string; scripts: Record<string, string> };

/** Image sources of a README: markdown images and <img src>, HTML comments left out. */
function imageSources(markdown: string): string[] {
  const text = markdown.replace(/<!--[\s\S]*?-->/g, '');
  const md = [...text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  const html = [...text.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1] ?? '');
  return [...md, ...html];
}

let work: string;
let entries: ZipEntry[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tandem-readme-'));
  const dist = buildBundles(work);
  const out = join(work, 'out');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package-targets.mjs'), '--dist', dist, '--out', out, '--targets', 'linux-x64'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/package-targets.mjs failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const report = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8')) as { targets: Record<string, { vsix: string }> };
  entries = zipEntries(join(out, report.targets['linux-x64']?.vsix ?? 'missing.vsix'));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function entry(name: string): ZipEntry | undefined {
  return entries.find((e) => e.name === name);
}

describe('the extension page README', () => {
  it('is media/marketplace/README.md as written (links not rewritten), and the developer README does not ship', () => {
    const readme = entry('extension/readme.md');
    expect(readme).toBeDefined();
    expect(readme?.read().toString('utf8')).toBe(readFileSync(join(ROOT, README), 'utf8'));
    expect(entries.map((e) => e.name).filter((n) => /readme\.md$/i.test(n))).toEqual(['extension/readme.md']);
  });

  it('shows 3 to 5 images, each a PNG inside the package at the path it names (at most 200 KB) or an https URL', () => {
    const sources = imageSources(entry('extension/readme.md')?.read().toString('utf8') ?? '');
    expect(sources.length).toBeGreaterThanOrEqual(3);
    expect(sources.length).toBeLessThanOrEqual(5);
    for (const src of sources) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
        expect(src, 'an absolute image must be https').toMatch(/^https:\/\//);
        continue;
      }
      // Relative to the package root (where vsce puts readme.md); no way out of the package.
      const inPackage = posix.normalize(posix.join('extension', src));
      expect(inPackage.startsWith('extension/') && !src.startsWith('/'), src).toBe(true);
      const image = entry(inPackage);
      expect(image, `${src} is not in the VSIX`).toBeDefined();
      const bytes = image?.read() ?? Buffer.alloc(0);
      expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${src} is not a PNG`).toBe(true);
      expect(bytes.length, `${src} is over 200 KB`).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
    }
  });

  it('links only to absolute https pages or anchors (nothing relative that would break on a registry)', () => {
    const text = (entry('extension/readme.md')?.read().toString('utf8') ?? '').replace(/<!--[\s\S]*?-->/g, '');
    const links = [...text.matchAll(/(?<!!)\[[^\]]*\]\(\s*([^)\s]+)[^)]*\)/g)].map((m) => m[1] ?? '');
    for (const link of links) expect(link, link).toMatch(/^(https:\/\/|#|mailto:)/);
  });

  it('is what `npm run package` ships too: the script hands vsce the same README path and keeps links as written', () => {
    const script = manifest.scripts['package'] ?? '';
    expect(script).toMatch(/\bvsce package\b/);
    expect(script).toContain(`--readme-path ${README}`);
    expect(script).toContain('--no-rewrite-relative-links');
  });
});

describe('the package description', () => {
  it('is one short user-facing sentence', () => {
    const d = manifest.description;
    expect(d.length).toBeGreaterThanOrEqual(30);
    expect(d.length).toBeLessThanOrEqual(120); // the galleries cut longer ones in their cards
    expect(d).not.toMatch(/npm|esbuild|vitest|e2e|TODO|\bsrc\//i); // about the product, not its build
    expect(d).toMatch(/\.$/);
  });
});
