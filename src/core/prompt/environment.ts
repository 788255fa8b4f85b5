// The environment block appended to the newest user message (not to the instructions) so that the
// request prefix, instructions + earlier history, stays byte-identical and cacheable across turns.
export interface EnvironmentInfo {
  cwd: string;
  os: string;
  shell: string;
  /** ISO date (YYYY-MM-DD) in the user's local time. */
  date: string;
  approvalPolicy: string;
  sandbox?: string;
}

export function environmentBlock(env: EnvironmentInfo): string {
  const lines = [
    '<environment_context>',
    `  <cwd>${env.cwd}</cwd>`,
    `  <os>${env.os}</os>`,
    `  <shell>${env.shell}</shell>`,
    `  <current_date>${env.date}</current_date>`,
    `  <approval_policy>${env.approvalPolicy}</approval_policy>`,
  ];
  if (env.sandbox) lines.push(`  <sandbox>${env.sandbox}</sandbox>`);
  lines.push('</environment_context>');
  return lines.join('\n');
}
