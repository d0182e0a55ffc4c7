/** `-c key=value` flags, quoted for a POSIX shell where needed. */
export function contextFlags(context: Readonly<Record<string, string>>): string {
  return Object.entries(context)
    .map(([key, value]) => (/^[\w.:+-]+$/.test(value) ? `-c ${key}=${value}` : `-c '${key}=${value.replace(/'/g, "'\\''")}'`))
    .join(' ');
}
