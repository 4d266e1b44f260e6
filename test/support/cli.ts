/** Runs the CLI in-process, as a terminal or a script would, and captures what it prints. */
import { PassThrough, Writable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

export interface CliOptions {
  /** SESSION_INSPECTOR_HOME: the data folder (audit log, flood records). */
  home: string;
  env?: Record<string, string>;
  stdin?: string;
  tty?: boolean;
}

export async function runCliCaptured(args: string[], options: CliOptions): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty ?? false, setRawMode: () => undefined });
  if (options.stdin !== undefined) stdin.end(options.stdin);
  else if (!options.tty) stdin.end();
  const code = await runCli(args, { env: { SESSION_INSPECTOR_HOME: options.home, ...options.env }, stdin, stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text, json: () => JSON.parse(stdout.text) };
}
