import type { ReactNode } from 'react';
import { Empty, Image } from 'antd';
import { useI18n } from '../i18n/index.js';

/** A stored PDF or image shown in place (the API serves them inline). */
export function FilePreview({
  url,
  mediaType,
  title,
  height = 640,
}: {
  readonly url: string | undefined;
  readonly mediaType: string | undefined;
  readonly title: string;
  readonly height?: number;
}): ReactNode {
  const { t } = useI18n();
  if (url === undefined || mediaType === undefined) {
    return <Empty description={t('common.selectToPreview')} style={{ padding: 48 }} />;
  }
  if (mediaType.startsWith('image/')) {
    return <Image src={url} alt={title} style={{ maxHeight: height, objectFit: 'contain' }} />;
  }
  return (
    <iframe
      // Chromium's viewer: no thumbnail pane, page fitted to the width.
      src={`${url}#navpanes=0&view=FitH`}
      title={title}
      style={{ width: '100%', height, border: '1px solid #f0f0f0', borderRadius: 6, background: '#fafafa' }}
    />
  );
}
