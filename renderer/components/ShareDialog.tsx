import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { HostedRelay, SharedLinks } from '../../shared/model/views';
import { useActionError, useApi, useCanWrite, useStores, useSync } from '../state/console-stores';
import { ActionError } from './ActionError';
import { Dialog } from './Dialog';
import { QrCode } from './QrCode';

/**
 * Sharing the open incident through a relay (DESIGN.md §5 "Keys and rights"): host one on this
 * computer or name one, then hand out the write link (responders) and the read link (observers),
 * as text to copy or read aloud and as QR codes; and move the incident to another relay. When the
 * relay is gone for good, "Host this incident here" is one action: this computer starts a relay,
 * the incident moves to it (re-seeded with every change this device holds), and the addresses to
 * give the others are shown; they follow with "Move to relay…" in their sync line.
 *
 * Only in a view that may write: 'incidents.links' is not a read method, so a read-only view (the
 * wall display, a read link) could never get a link, and it never renders this.
 */
export function ShareDialog({ incidentId, onClose }: { incidentId: string; onClose(): void }) {
  const api = useApi();
  const { sync } = useStores();
  const canWrite = useCanWrite();
  const relay = useSync((s) => (s.incidentId === incidentId ? (s.status?.relay ?? null) : null));
  const [links, setLinks] = useState<SharedLinks | null>(null);
  const [hosted, setHosted] = useState<HostedRelay | null>(null);
  const [moving, setMoving] = useState(false);
  const [rehosting, setRehosting] = useState(false);
  const { run, error } = useActionError();

  useEffect(() => {
    if (!canWrite) return;
    void api.invoke('relay.hosted', {}).then(setHosted, () => undefined);
  }, [api, canWrite]);

  // Already shared: show its links at once.
  const shared = relay !== null;
  const haveLinks = links !== null;
  useEffect(() => {
    if (!canWrite || !shared || haveLinks) return;
    void run(() => api.invoke('incidents.links', { incidentId })).then((l) => l && setLinks(l));
  }, [api, canWrite, shared, haveLinks, incidentId, run]);

  if (!canWrite) return null;

  const shareThrough = async (address: () => Promise<string>) => {
    const result = await run(async () => api.invoke('incidents.share', { incidentId, relay: await address() }));
    if (result) {
      setLinks(result);
      void sync.getState().refresh();
    }
  };

  const hostHere = async (port: number) => {
    const started = await api.invoke('relay.host', { port });
    setHosted(started);
    return started.addresses[0];
  };

  const move = async (address: () => Promise<string>) => {
    const moved = await run(async () => {
      await api.invoke('incidents.moveRelay', { incidentId, relay: await address() });
      return api.invoke('incidents.links', { incidentId });
    });
    if (moved) {
      setLinks(moved);
      setMoving(false);
      void sync.getState().refresh();
    }
  };

  return (
    <Dialog title="Share incident" onClose={onClose} className="share-dialog">
      {!links ? (
        shared ? (
          <p className="muted" aria-busy="true">
            Loading the links…
          </p>
        ) : (
          <RelayChoice
            intro="Teammates' consoles meet at a relay. It forwards sealed changes and cannot read the incident."
            hostLabel="Start the relay and share"
            relayLabel="Share through this relay"
            onHost={(port) => shareThrough(() => hostHere(port))}
            onRelay={(address) => shareThrough(async () => address)}
          />
        )
      ) : (
        <>
          <p>
            Shared through relay <code className="relay-address">{links.relay}</code>
          </p>
          {hosted && <HostedAddresses hosted={hosted} />}
          {!(hosted && hosted.addresses.includes(links.relay)) && (
            <div className="share-rehost">
              <button
                type="button"
                aria-busy={rehosting}
                onClick={() => {
                  if (rehosting) return;
                  setRehosting(true);
                  void move(() => hostHere(0)).finally(() => setRehosting(false));
                }}
              >
                Host this incident here
              </button>
              <p className="muted">If the relay is gone: this computer becomes the relay, with every change it holds, and shows the address to give the others.</p>
            </div>
          )}
          <p className="muted share-warning">
            A link gives its access for the whole life of the incident: send the write link only to responders, over a channel you trust.
          </p>
          <div className="share-links">
            {links.writeLink && (
              <JoinLinkCard kind="write" link={links.writeLink} focus>
                For responders: they can add to the incident.
              </JoinLinkCard>
            )}
            <JoinLinkCard kind="read" link={links.readLink} focus={!links.writeLink}>
              For observers (legal, management): they can read, never write.
            </JoinLinkCard>
          </div>
          {moving ? (
            <section className="share-move" aria-label="Move to another relay">
              <h3>Move to another relay</h3>
              <RelayChoice
                intro="Everyone follows once they have the new links; this device re-seeds the new relay with every change it holds."
                hostLabel="Move to a relay on this computer"
                relayLabel="Move to this relay"
                onHost={(port) => move(() => hostHere(port))}
                onRelay={(address) => move(async () => address)}
              />
              <button type="button" onClick={() => setMoving(false)}>
                Cancel move
              </button>
            </section>
          ) : (
            <button type="button" onClick={() => setMoving(true)}>
              Move to another relay
            </button>
          )}
        </>
      )}
      <ActionError error={error} />
    </Dialog>
  );
}

/** Host a relay here (any free port, or one given) or name one by host:port. */
function RelayChoice({
  intro,
  hostLabel,
  relayLabel,
  onHost,
  onRelay,
}: {
  intro: string;
  hostLabel: string;
  relayLabel: string;
  onHost(port: number): Promise<void>;
  onRelay(address: string): Promise<void>;
}) {
  const [choice, setChoice] = useState<'host' | 'relay' | null>(null);
  const [port, setPort] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  // One attempt at a time; the button stays enabled (and focused) so the person is never dropped out of the dialog.
  const busyWhile = (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    void work().finally(() => setBusy(false));
  };

  const host = (event: FormEvent) => {
    event.preventDefault();
    busyWhile(() => onHost(port.trim() === '' ? 0 : Number(port)));
  };
  const useRelay = (event: FormEvent) => {
    event.preventDefault();
    busyWhile(() => onRelay(address));
  };

  return (
    <div className="relay-choice">
      <p className="muted">{intro}</p>
      <div className="relay-choice-buttons" role="group" aria-label="Where the relay runs">
        <button type="button" aria-pressed={choice === 'host'} onClick={() => setChoice('host')}>
          Host this incident on this computer
        </button>
        <button type="button" aria-pressed={choice === 'relay'} onClick={() => setChoice('relay')}>
          Use a relay
        </button>
      </div>
      {choice === 'host' && (
        <form className="relay-form" aria-label={hostLabel} onSubmit={host}>
          <p className="muted">Others connect to this computer: it must stay on and reachable from their network.</p>
          <label>
            Port (leave empty for any free one)
            <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" pattern="[0-9]*" autoFocus />
          </label>
          <button type="submit" className="primary" aria-busy={busy}>
            {hostLabel}
          </button>
        </form>
      )}
      {choice === 'relay' && (
        <form className="relay-form" aria-label={relayLabel} onSubmit={useRelay}>
          <label>
            Relay address (host:port)
            <input value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="relay.example.org:7443" autoFocus />
          </label>
          <button type="submit" className="primary" aria-busy={busy}>
            {relayLabel}
          </button>
        </form>
      )}
    </div>
  );
}

function HostedAddresses({ hosted }: { hosted: HostedRelay }) {
  const id = useId();
  return (
    <div className="hosted-addresses">
      <p id={id}>This computer hosts a relay. Others reach it at:</p>
      <ul aria-labelledby={id}>
        {hosted.addresses.map((a) => (
          <li key={a}>
            <code>{a}</code>
          </li>
        ))}
      </ul>
      <p className="muted">Teammates already in the incident choose “Move to relay…” in their sync line and enter one of these addresses; newcomers use a link below.</p>
    </div>
  );
}

/** The link with a break opportunity after each group of its secret, so it wraps where it reads aloud; its text is the link exactly. */
function GroupedLink({ link }: { link: string }) {
  const hash = link.indexOf('#');
  if (hash < 0) return <>{link}</>;
  const groups = link.slice(hash + 1).split('-');
  return (
    <>
      {link.slice(0, hash + 1)}
      <wbr />
      {groups.map((group, i) => (
        <span key={i} className="secret-group">
          {group}
          {i < groups.length - 1 && '-'}
          <wbr />
        </span>
      ))}
    </>
  );
}

/** `focus`: takes focus when it appears (the links replace the form that was used, so focus stays in the dialog). */
function JoinLinkCard({ kind, link, focus = false, children }: { kind: 'write' | 'read'; link: string; focus?: boolean; children: ReactNode }) {
  const headingId = useId();
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const title = kind === 'write' ? 'Write link' : 'Read link';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <section className={`join-link-card join-link-${kind}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p className="muted">{children}</p>
      <code className="join-link">
        <GroupedLink link={link} />
      </code>
      <div className="join-link-actions">
        <button type="button" onClick={() => void copy()} autoFocus={focus}>
          Copy {kind} link
        </button>
        <span role="status" className={copied === 'failed' ? 'warning' : 'muted'}>
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the link and copy it' : ''}
        </span>
      </div>
      <QrCode text={link} label={`QR code of the ${kind} link`} />
    </section>
  );
}
