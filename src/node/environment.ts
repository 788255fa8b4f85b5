import * as os from 'node:os';
import type { EnvironmentInfo } from '../core/prompt/environment';

export function userShell(): string {
  return process.env.SHELL || (process.platform === 'win32' ? 'powershell.exe' : '/bin/bash');
}

function localDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function environmentInfo(cwd: string, approvalPolicy: string, shell = userShell()): EnvironmentInfo {
  return { cwd, os: `${os.type()} ${os.release()} (${process.platform})`, shell, date: localDate(), approvalPolicy };
}
