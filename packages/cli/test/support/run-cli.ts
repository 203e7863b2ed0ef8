// Runs the CLI from its sources, as the bin would from dist: for tests that need a real process.
import { main } from '@tracemark/cli';

process.exitCode = await main(process.argv, process.env);
