import { ConfigError, loadConfig, type Config } from '@tracemark/server';

/** Output streams of a command, so tests can capture them. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Draw progress bars (on a terminal). */
  readonly progress?: boolean;
}

/** Loads the settings every command shares; prints every problem and returns undefined if invalid. */
export function settingsOrReport(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
): Config | undefined {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.message}\nSee docs/configuration.md for every setting.\n`);
      return undefined;
    }
    throw error;
  }
}
