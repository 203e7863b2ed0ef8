/**
 * Catches a screen that fails to render. The usual cause is a new build served while the console
 * was open: the old build's screen chunks are gone, so opening a screen fails to load its code.
 * That case reloads the page once (index.html is never cached, so the new build comes up, at the
 * same address); anything else, or a second failure within a minute, shows a reload button.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { Button, Result } from 'antd';
import { useI18n } from '../i18n/index.js';

const reloadedKey = 'tm_chunk_reload';

/** Whether an error is a failed load of a screen's code (a build replaced under an open console). */
export function isChunkLoadError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically|ChunkLoadError/i.test(
    text,
  );
}

class Boundary extends Component<
  { readonly fallback: ReactNode; readonly children: ReactNode },
  { readonly failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    if (!isChunkLoadError(error)) return;
    const last = Number(globalThis.sessionStorage.getItem(reloadedKey) ?? 0);
    if (Date.now() - last < 60_000) return;
    globalThis.sessionStorage.setItem(reloadedKey, String(Date.now()));
    globalThis.location.reload();
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** Wraps the current screen; a new address starts afresh. */
export function ScreenBoundary({ children }: { readonly children: ReactNode }): ReactNode {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <Boundary
      key={location.pathname}
      fallback={
        <Result
          status="warning"
          title={t('shell.loadFailed')}
          subTitle={t('shell.loadFailedText')}
          extra={
            <Button type="primary" onClick={() => globalThis.location.reload()}>
              {t('shell.reload')}
            </Button>
          }
        />
      }
    >
      {children}
    </Boundary>
  );
}
