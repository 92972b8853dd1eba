/**
 * The SMTP mailer against small SMTP servers: one that refuses the recipient, as a real one does for an unknown
 * mailbox, and one that accepts everything and counts its connections.
 */
import { createServer, type Server } from 'node:net';
import { createSmtpMailer } from '../../activities/mailer';

/** Just enough SMTP to reach RCPT TO and refuse it, quoting the address back like Postfix does. */
function startRefusingSmtpServer(): Promise<{ url: string; close(): void }> {
  const server: Server = createServer((socket) => {
    socket.write('220 refuser ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 refuser\r\n');
        else if (verb === 'MAIL' || verb === 'RSET') socket.write('250 OK\r\n');
        else if (verb === 'RCPT') socket.write(`550 5.1.1 ${line.slice(8)}: Recipient address rejected: User unknown\r\n`);
        else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write('502 Not implemented\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `smtp://127.0.0.1:${port}`, close: () => server.close() });
    }),
  );
}

/** Accepts every message; `connections` counts the TCP connections it was given, `messages` what it accepted. */
function startCountingSmtpServer(acceptDelayMs = 0): Promise<{ url: string; connections: () => number; messages: () => number; close(): void }> {
  let connections = 0;
  let messages = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.write('220 counter ESMTP\r\n');
    let buffered = '';
    let inData = false;
    socket.on('data', (chunk) => {
      buffered += chunk.toString();
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buffered = buffered.slice(end + 5);
          inData = false;
          messages += 1;
          setTimeout(() => socket.write('250 queued\r\n'), acceptDelayMs);
          continue;
        }
        const end = buffered.indexOf('\r\n');
        if (end < 0) return;
        const verb = buffered.slice(0, 4).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write(verb === 'EHLO' ? '250 counter\r\n' : '250 OK\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `smtp://127.0.0.1:${port}`, connections: () => connections, messages: () => messages, close: () => server.close() });
    }),
  );
}

describe('SMTP mailer', () => {
  it('sends consecutive e-mails over one pooled connection instead of one connection each', async () => {
    const smtp = await startCountingSmtpServer();
    const mailer = createSmtpMailer(smtp.url, 'Onboarding <no-reply@onboarding.local>');
    try {
      for (const n of [1, 2, 3, 4]) {
        await mailer.send({ to: `c${n}@example.com`, subject: 's', text: 't', html: '<p>t</p>', messageId: `<m${n}@onboarding.local>` });
      }
      expect(smtp.messages()).toBe(4);
      expect(smtp.connections()).toBe(1);
    } finally {
      mailer.close();
      smtp.close();
    }
  });

  it('gives concurrent sends a connection each instead of queueing them behind one another (up to its maximum)', async () => {
    const smtp = await startCountingSmtpServer(300);
    const mailer = createSmtpMailer(smtp.url, 'Onboarding <no-reply@onboarding.local>', 6);
    try {
      const sends = [1, 2, 3, 4, 5, 6].map((n) =>
        mailer.send({ to: `c${n}@example.com`, subject: 's', text: 't', html: '<p>t</p>', messageId: `<p${n}@onboarding.local>` }),
      );
      await Promise.all(sends);
      expect(smtp.messages()).toBe(6);
      expect(smtp.connections()).toBe(6);
    } finally {
      mailer.close();
      smtp.close();
    }
  });

  it("fails with the SMTP codes but without the recipient's address when the server refuses it", async () => {
    const smtp = await startRefusingSmtpServer();
    const mailer = createSmtpMailer(smtp.url, 'Onboarding <no-reply@onboarding.local>');
    try {
      const failure = (await mailer.send({ to: 'maria.garcia@example.com', subject: 's', text: 't', html: '<p>t</p>', messageId: '<m1@onboarding.local>' })
        .catch((error: unknown) => error)) as Error & { cause?: unknown };
      expect(failure).toBeInstanceOf(Error);
      expect(failure.message).toMatch(/550/);
      expect(`${failure.message}\n${failure.stack}`).not.toContain('maria.garcia');
      expect(failure.cause).toBeUndefined();
      expect(JSON.stringify(failure)).not.toContain('maria.garcia');
    } finally {
      mailer.close();
      smtp.close();
    }
  });
});
