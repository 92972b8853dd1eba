/** Reads the MailDev inbox the test run started: the e-mails a customer would receive. */
export interface ReceivedEmail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: Array<{ address: string }>;
  messageId: string;
}

export async function emailsTo(inboxUrl: string, address: string): Promise<ReceivedEmail[]> {
  const response = await fetch(`${inboxUrl}/email`);
  const all = (await response.json()) as ReceivedEmail[];
  return all.filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/** Waits until `count` e-mails have reached `address`, then returns them. */
export async function waitForEmails(inboxUrl: string, address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const emails = await emailsTo(inboxUrl, address);
    if (emails.length >= count) return emails;
    if (Date.now() > deadline) throw new Error(`expected ${count} e-mail(s) to ${address}, found ${emails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
