import fs from 'node:fs';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';

describe('the one Content-Security-Policy', () => {
  it('is what renderer/index.html declares for file:// pages (frame-ancestors only works as a header)', () => {
    const html = fs.readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const headerOnly = (d: string) => d.startsWith('frame-ancestors');
    expect(meta?.split('; ')).toEqual(CONTENT_SECURITY_POLICY.split('; ').filter((d) => !headerOnly(d)));
  });
});
