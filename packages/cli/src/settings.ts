import { AppError, ConfigError, loadConfig, type Actor, type Config } from '@tracemark/server';

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

/**
 * Runs a command's work; an expected failure (a catalogue error) is printed as `CODE: message`
 * and turns into exit code 1, anything else propagates.
 */
export async function reportingAppErrors(io: Io, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** The caller a command acts as inside one enterprise: its audit entries name the command. */
export function commandActor(tenantId: string, command: string): Actor {
  return {
    type: 'user',
    id: 'cli',
    name: command,
    role: 'enterprise_admin',
    tenantId,
    jurisdiction: null,
    sessionIdHash: '',
  };
}
