/**
 * @module Loading one of sockdoc's BPF programs through the addon: the handle,
 * or the one-line reason it could not be loaded (the verifier's last line
 * when it refused), for --debug and a fallback.
 */
export function loadProgram<H>(load: () => H): { handle: H | null; reason: string | null } {
  try {
    return { handle: load(), reason: null };
  } catch (err) {
    const e = err as Error & { verifierLog?: string };
    return { handle: null, reason: e.verifierLog ? `refused: ${e.verifierLog}` : e.message };
  }
}
