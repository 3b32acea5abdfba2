import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** A QR code is only a picture of the text (DESIGN.md §5): an SVG drawn here, shown as an image (the CSP allows img data:). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setSrc(null);
    // Dark on light whatever the theme: that is what a phone's camera reads.
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (svg) => {
        if (current) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      },
      () => {
        if (current) setSrc(null);
      },
    );
    return () => {
      current = false;
    };
  }, [text]);

  if (!src) return <span className="qr-code qr-code-pending" aria-hidden="true" />;
  return <img className="qr-code" src={src} alt={label} width={176} height={176} />;
}
