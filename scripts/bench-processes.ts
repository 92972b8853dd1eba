/**
 * CPU time and memory of the processes a benchmark loads, read from Linux's /proc as `ps` would:
 * - a process is found by the TCP port it listens on (/proc/net/tcp{,6} gives the socket's inode, and the process
 *   holding `socket:[inode]` among its /proc/<pid>/fd links is the one), so the Temporal dev server, the Node process
 *   of `npm start`, the baseline and the PostgreSQL postmaster are each named by the port they serve;
 * - CPU seconds are utime + stime of /proc/<pid>/stat (all threads), divided by the clock tick;
 * - a component's CPU can take in its process tree (PostgreSQL: one backend process per connection, forked by the
 *   postmaster): live descendants' utime + stime, plus cutime + cstime, where the kernel adds the time of children
 *   that have exited and been reaped, so a connection closed during a round is still counted;
 * - RSS is VmRSS of /proc/<pid>/status.
 * Linux only; reading another user's /proc/<pid>/fd (the postgres user's postmaster) needs root or that user.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function socketInodesListeningOn(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const localPort = parseInt(fields[1].split(':').at(-1)!, 16);
      if (fields[3] === '0A' && localPort === port) inodes.add(fields[9]); // 0A: LISTEN
    }
  }
  return inodes;
}

const numericEntries = (dir: string) => readdirSync(dir).filter((name) => /^\d+$/.test(name)).map(Number);

/** The processes holding a socket that listens on `port` (one, unless a server forks after binding). */
export function pidsListeningOn(port: number): number[] {
  const inodes = socketInodesListeningOn(port);
  if (inodes.size === 0) return [];
  const targets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const pids: number[] = [];
  for (const pid of numericEntries('/proc')) {
    let fds: number[];
    try {
      fds = numericEntries(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          pids.push(pid);
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return pids;
}

/** The one process listening on `port`; throws naming `what` if none or several. */
export function pidListeningOn(port: number, what: string): number {
  const pids = pidsListeningOn(port);
  if (pids.length !== 1) throw new Error(`${what}: expected one process listening on port ${port}, found ${pids.length ? pids.join(', ') : 'none'}`);
  return pids[0];
}

interface Stat {
  ppid: number;
  /** utime + stime, in ticks */
  own: number;
  /** cutime + cstime: reaped children, in ticks */
  reaped: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (2nd field) is in parentheses and may hold spaces: split after its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i]);
  return { ppid: n(1), own: n(11) + n(12), reaped: n(13) + n(14) };
}

/** CPU seconds of `pid` alone (all its threads), or of it and all its descendants with `tree`. */
export function cpuSeconds(pid: number, tree = false): number {
  const root = readStat(pid);
  if (!root) throw new Error(`process ${pid} is gone`);
  if (!tree) return root.own / CLOCK_TICKS;
  const stats = new Map<number, Stat>();
  for (const other of numericEntries('/proc')) {
    const stat = readStat(other);
    if (stat) stats.set(other, stat);
  }
  const inTree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [other, stat] of stats) {
      if (!inTree.has(other) && inTree.has(stat.ppid)) {
        inTree.add(other);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const member of inTree) {
    const stat = member === pid ? root : stats.get(member);
    if (stat) ticks += stat.own + stat.reaped;
  }
  return ticks / CLOCK_TICKS;
}

/** Resident set size in MiB. */
export function rssMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}
