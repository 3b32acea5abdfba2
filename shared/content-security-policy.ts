/**
 * The one Content-Security-Policy of every page of the console: the Electron window's header,
 * browser mode's header, and (for file:// pages, which carry no headers) renderer/index.html's
 * meta tag, which a test keeps equal to this.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // recharts writes style attributes on its SVG.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
