/** Terminal input for the CLI: a hidden password prompt, a yes/no question, stdin. */
import type { Readable, Writable } from 'node:stream';

export interface TerminalInput extends Readable {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

/** Reads a line without echoing it. Ctrl-C gives null (cancelled). */
export function promptHidden(input: TerminalInput, output: Writable, question: string): Promise<string | null> {
  return new Promise((resolve) => {
    output.write(question);
    let answer = '';
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (value: string | null) => {
      input.setRawMode?.(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(answer);
        if (char === '\u0003') return finish(null);
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    input.on('data', onData);
  });
}

/** Asks a question on the terminal and reads one line. */
export function promptLine(input: TerminalInput, output: Writable, question: string): Promise<string> {
  return new Promise((resolve) => {
    output.write(question);
    let answer = '';
    input.resume();
    input.setEncoding('utf8');
    const onData = (chunk: string) => {
      answer += chunk;
      const newline = answer.indexOf('\n');
      if (newline >= 0) {
        input.off('data', onData);
        input.off('end', onEnd);
        input.pause();
        resolve(answer.slice(0, newline).replace(/\r$/, ''));
      }
    };
    const onEnd = () => resolve(answer);
    input.on('data', onData);
    input.once('end', onEnd);
  });
}

/** The first line of standard input (for --password-stdin). */
export async function readFirstLine(input: Readable, maxBytes = 64 * 1024): Promise<string> {
  let data = '';
  input.setEncoding('utf8');
  for await (const chunk of input) {
    data += chunk as string;
    if (data.includes('\n') || data.length > maxBytes) break;
  }
  return data.split('\n')[0]!.replace(/\r$/, '');
}
