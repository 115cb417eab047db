import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';

export interface MailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * SMTP when MAIL_URL is set; otherwise each message is written as <id>.eml under MAIL_DIR
 * (nodemailer's stream transport builds the MIME message). The Message-ID is derived from the
 * mail id, so a resend after a crash is recognisable as the same message.
 */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly transport: Transporter;
  private readonly toFiles: boolean;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.toFiles = config.mailUrl === null;
    this.transport = this.toFiles
      ? nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
      : nodemailer.createTransport(config.mailUrl!);
  }

  async send(m: MailMessage): Promise<void> {
    const info = (await this.transport.sendMail({
      from: this.config.mailFrom,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      messageId: `<mail-${m.id}@efir>`,
    })) as { message?: Buffer };
    if (this.toFiles) {
      const dir = resolve(this.config.mailDir);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, `${m.id}.eml`), info.message ?? '');
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
