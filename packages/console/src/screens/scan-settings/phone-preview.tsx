/**
 * The live preview: the real consumer scan page, rendered by the server for the draft settings
 * (`POST /api/v1/scan-settings/preview`), in a 390-px phone frame. It follows the draft after a
 * short pause, and switches between verdicts and languages. The page runs sandboxed (no
 * scripts, forms, pop-ups or navigation of the console); a draft the server refuses keeps the
 * last good page with a note.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Flex, Segmented, Spin, Typography } from 'antd';
import { api, ApiError } from '../../api/client.js';
import { errorText } from '../../api/errors.js';
import { useI18n } from '../../i18n/index.js';
import type { PreviewBody } from './settings-values.js';

type Verdict = NonNullable<PreviewBody['verdict']>;
type Lang = NonNullable<PreviewBody['language']>;

/** The phone's screen: an iPhone's width in CSS pixels. */
const SCREEN_WIDTH = 390;
const SCREEN_HEIGHT = 680;
const DEBOUNCE_MS = 400;

/** The preview of `draft` (verdict and language are chosen here). */
export function PhonePreview({
  draft,
}: {
  readonly draft: Omit<PreviewBody, 'verdict' | 'language'>;
}): ReactNode {
  const { t, language } = useI18n();
  const [verdict, setVerdict] = useState<Verdict>('genuine_first');
  const [lang, setLang] = useState<Lang>(language === 'en-US' ? 'en' : 'zh');
  const [html, setHtml] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<{ invalid: boolean; text: string }>();
  const asked = useRef(0);
  const key = JSON.stringify({ ...draft, verdict, language: lang });

  useEffect(() => {
    const n = ++asked.current;
    setLoading(true);
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const { data, error, response } = await api.POST('/api/v1/scan-settings/preview', {
            body: JSON.parse(key) as PreviewBody,
            parseAs: 'text',
          });
          if (!response.ok || data === undefined) {
            throw ApiError.of(response.status, typeof error === 'string' ? safeJson(error) : error);
          }
          if (n !== asked.current) return;
          setHtml(data);
          setProblem(undefined);
        } catch (e) {
          if (n !== asked.current) return;
          const invalid = e instanceof ApiError && e.status === 400;
          setProblem({ invalid, text: errorText(t, e) });
        } finally {
          if (n === asked.current) setLoading(false);
        }
      })();
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [key, t]);

  return (
    <Flex vertical gap={12} align="center" style={{ width: SCREEN_WIDTH + 24 }}>
      <Flex
        justify="space-between"
        align="center"
        style={{ width: '100%' }}
        wrap
        gap={8}
        data-testid="preview-controls"
      >
        <Segmented<Verdict>
          size="small"
          value={verdict}
          onChange={setVerdict}
          options={[
            { value: 'genuine_first', label: t('scanSettings.previewGenuineFirst') },
            { value: 'genuine_repeat', label: t('scanSettings.previewGenuineRepeat') },
            { value: 'warning', label: t('scanSettings.previewWarning') },
          ]}
        />
        <Segmented<Lang>
          size="small"
          value={lang}
          onChange={setLang}
          options={[
            { value: 'zh', label: '中文' },
            { value: 'en', label: 'EN' },
          ]}
        />
      </Flex>
      <div
        style={{
          padding: 12,
          borderRadius: 48,
          background: 'linear-gradient(145deg, #2b2b2b, #111)',
          boxShadow: '0 12px 32px rgba(0,0,0,.18), inset 0 0 0 2px #3a3a3a',
        }}
      >
        <div
          style={{
            position: 'relative',
            width: SCREEN_WIDTH,
            height: SCREEN_HEIGHT,
            borderRadius: 36,
            overflow: 'hidden',
            background: '#fff',
          }}
        >
          {html === undefined ? (
            <Flex align="center" justify="center" style={{ height: '100%' }}>
              <Spin />
            </Flex>
          ) : (
            <iframe
              title={t('scanSettings.previewFrame')}
              // Nothing but showing: no scripts, forms, pop-ups, or navigation of the console.
              sandbox=""
              srcDoc={html}
              style={{ width: SCREEN_WIDTH, height: SCREEN_HEIGHT, border: 0, display: 'block' }}
            />
          )}
          {loading && html !== undefined ? (
            <div
              aria-live="polite"
              style={{
                position: 'absolute',
                right: 12,
                bottom: 12,
                padding: '2px 10px',
                borderRadius: 12,
                background: 'rgba(0,0,0,.65)',
                color: '#fff',
                fontSize: 12,
              }}
            >
              <Spin size="small" /> {t('scanSettings.previewLoading')}
            </div>
          ) : null}
        </div>
      </div>
      {problem === undefined ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
          {t('scanSettings.previewHelp')}
        </Typography.Text>
      ) : (
        <Alert
          type={problem.invalid ? 'warning' : 'error'}
          showIcon
          style={{ width: '100%' }}
          title={
            problem.invalid
              ? t('scanSettings.previewInvalid')
              : t('scanSettings.previewFailed', { error: problem.text })
          }
        />
      )}
    </Flex>
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
