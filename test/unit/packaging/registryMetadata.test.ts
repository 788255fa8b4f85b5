// The manifest fields the Marketplace and Open VSX read, checked where they come from (package.json, media/,
// CHANGELOG.md): no proposed APIs (Open VSX and the Marketplace refuse them, and forks do not enable them), a
// licence with its file, a repository, a PNG icon of a size the galleries show, a banner, categories from VS
// Code's list, a bounded set of keywords, and a changelog entry for the version being packaged. That the
// VSIX carries them as assets is checked on the built packages (targetVsixes.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './buildBundles';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  license?: string;
  icon?: string;
  repository?: { type?: string; url?: string };
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  keywords?: string[];
  engines: { vscode?: string };
  enabledApiProposals?: unknown;
  [key: string]: unknown;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** The categories VS Code's extension manifest reference allows. */
const VS_CODE_CATEGORIES = new Set([
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs', 'Linters',
  'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization',
]);

/** Width and height from a PNG's IHDR chunk (the first chunk after the 8-byte signature). */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 0x89504e47 || b.readUInt32BE(4) !== 0x0d0a1a0a) throw new Error(`${file} is not a PNG`);
  if (b.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file}: first chunk is not IHDR`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('registry metadata (Marketplace and Open VSX)', () => {
  it('uses no proposed API', () => {
    expect(manifest.enabledApiProposals).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toMatch(/apiProposals|vscode\.proposed/);
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
  });

  it('names a licence that ships as a file, a publisher and a repository', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(manifest.publisher).toMatch(/^[a-z0-9][a-z0-9-]*$/);
    expect(manifest.repository?.url).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  });

  it('has a square PNG icon of at least 128 px (registries do not take SVG icons)', () => {
    expect(manifest.icon).toMatch(/\.png$/);
    const { width, height } = pngSize(join(ROOT, manifest.icon!));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(128);
  });

  it('has a gallery banner, categories from VS Code’s list and 1–30 keywords', () => {
    expect(manifest.galleryBanner?.color).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(['dark', 'light']).toContain(manifest.galleryBanner?.theme);
    expect(manifest.categories?.length).toBeGreaterThan(0);
    for (const c of manifest.categories ?? []) expect(VS_CODE_CATEGORIES.has(c), c).toBe(true);
    expect(manifest.keywords?.length).toBeGreaterThan(0);
    expect(manifest.keywords!.length).toBeLessThanOrEqual(30);
    expect(new Set(manifest.keywords).size).toBe(manifest.keywords!.length);
  });

  it('has a CHANGELOG.md with an entry for the version being packaged', () => {
    expect(existsSync(join(ROOT, 'CHANGELOG.md'))).toBe(true);
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(changelog).toMatch(new RegExp(`^## ${manifest.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
