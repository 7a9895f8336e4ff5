import { readdir, readFile } from 'node:fs/promises';

/**
 * One reading of /proc: every process's parent and resident memory, so that the memory of a process
 * tree (a build's, or several gopls at once) is measured with a single pass.
 */
export class ProcessTable {
  private constructor(
    private readonly children: Map<number, number[]>,
    private readonly rss: Map<number, number>,
  ) {}

  static async read(): Promise<ProcessTable> {
    const children = new Map<number, number[]>();
    const rss = new Map<number, number>();
    const page = 4096;
    for (const entry of await readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields.length < 22) continue;
      const pid = +entry;
      const ppid = +fields[1];
      rss.set(pid, +fields[21] * page);
      const list = children.get(ppid);
      if (list) list.push(pid);
      else children.set(ppid, [pid]);
    }
    return new ProcessTable(children, rss);
  }

  /** Resident bytes of a process and all its descendants (0 when it is gone). */
  treeRss(rootPid: number): number {
    let total = 0;
    const stack = [rootPid];
    const seen = new Set<number>();
    while (stack.length) {
      const pid = stack.pop()!;
      if (seen.has(pid)) continue;
      seen.add(pid);
      total += this.rss.get(pid) ?? 0;
      stack.push(...(this.children.get(pid) ?? []));
    }
    return total;
  }
}
