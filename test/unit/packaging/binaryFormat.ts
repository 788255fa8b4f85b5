// Reads just enough of an executable's header to say which OS format and CPU it is for, so the packaging
// test can prove each VSIX carries binaries for its own target (a linux-x64 pty.node in the arm64 package
// would install fine and fail only on the user's machine). No dependency: ELF, Mach-O (thin and fat) and PE
// headers are a few fixed offsets. Anything unrecognised or cut short is reported as such, never guessed.

export type BinaryFormat = 'elf' | 'macho' | 'pe';
export type Arch = 'x64' | 'arm64' | 'ia32' | 'arm' | `other:${string}`;

export interface BinaryInfo {
  format: BinaryFormat;
  /** One entry for a thin binary; every slice of a Mach-O universal binary. */
  archs: Arch[];
  /** ELF only: 64-bit class and little-endian data, the only kind our targets use. */
  elf64le?: boolean;
}

const ELF_MACHINES: Record<number, Arch> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'arm' };
const MACHO_CPUS: Record<number, Arch> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x07: 'ia32', 0x0c: 'arm' };
const PE_MACHINES: Record<number, Arch> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x014c: 'ia32', 0x01c4: 'arm' };

function named(table: Record<number, Arch>, code: number): Arch {
  return table[code] ?? `other:0x${code.toString(16)}`;
}

/** Identifies an ELF, Mach-O or PE file from its header; throws saying why when it is none of them. */
export function binaryInfo(bytes: Uint8Array): BinaryInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (n: number, what: string): void => {
    if (b.length < n) throw new Error(`${what} header cut short (${b.length} bytes)`);
  };
  need(4, 'file');
  // ELF: 7f 'E' 'L' 'F', class at 4 (2 = 64-bit), data at 5 (1 = little-endian), e_machine at 18.
  if (b.readUInt32BE(0) === 0x7f454c46) {
    need(20, 'ELF');
    const littleEndian = b[5] === 1;
    const machine = littleEndian ? b.readUInt16LE(18) : b.readUInt16BE(18);
    return { format: 'elf', archs: [named(ELF_MACHINES, machine)], elf64le: b[4] === 2 && littleEndian };
  }
  // Mach-O thin, 64-bit, little-endian (as stored): cf fa ed fe, cputype at 4. The 32-bit magic ce fa ed fe too.
  const magicLE = b.readUInt32LE(0);
  if (magicLE === 0xfeedfacf || magicLE === 0xfeedface) {
    need(8, 'Mach-O');
    return { format: 'macho', archs: [named(MACHO_CPUS, b.readUInt32LE(4))] };
  }
  // Mach-O universal: ca fe ba be (big-endian), nfat_arch, then 20-byte fat_arch records whose first field is
  // the cputype. Java class files share the magic; they have a version, not a small count, in that field.
  if (b.readUInt32BE(0) === 0xcafebabe) {
    need(8, 'Mach-O universal');
    const count = b.readUInt32BE(4);
    if (count === 0 || count > 16) throw new Error(`not a Mach-O universal binary (${count} slices)`);
    need(8 + count * 20, 'Mach-O universal');
    return { format: 'macho', archs: Array.from({ length: count }, (_, i) => named(MACHO_CPUS, b.readUInt32BE(8 + i * 20))) };
  }
  // PE: 'MZ', the PE header's offset at 0x3c, there 'PE\0\0' and the COFF Machine field.
  if (b[0] === 0x4d && b[1] === 0x5a) {
    need(0x40, 'DOS');
    const pe = b.readUInt32LE(0x3c);
    need(pe + 6, 'PE');
    if (b.readUInt32BE(pe) !== 0x50450000) throw new Error('MZ file without a PE signature');
    return { format: 'pe', archs: [named(PE_MACHINES, b.readUInt16LE(pe + 4))] };
  }
  throw new Error(`unknown binary format (starts ${b.subarray(0, 4).toString('hex')})`);
}
