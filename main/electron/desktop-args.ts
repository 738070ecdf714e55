// Command-line options of the desktop app: `--workspace DIR` (or -w, or =DIR) and `--port N`.
export interface DesktopArgs {
  workspace?: string;
  port?: number;
}

export function parseDesktopArgs(argv: string[]): DesktopArgs {
  const out: DesktopArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--workspace' || flag === '-w') out.workspace = value();
    else if (flag === '--port') {
      const n = Number(value());
      if (Number.isInteger(n) && n >= 0 && n <= 65535) out.port = n;
    }
  }
  return out;
}
