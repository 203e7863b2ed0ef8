import type { ReactNode } from 'react';
import { Segmented } from 'antd';
import { useI18n, type Language } from '../i18n/index.js';

/** 中文 / English, remembered in the browser. */
export function LanguageSwitch(): ReactNode {
  const { language, setLanguage } = useI18n();
  return (
    <Segmented<Language>
      size="small"
      value={language}
      onChange={setLanguage}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'English', value: 'en-US' },
      ]}
      aria-label="Language / 语言"
    />
  );
}
