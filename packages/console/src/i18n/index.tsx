/**
 * The console's own small i18n layer: every string on screen comes from `t(key)`. Simplified
 * Chinese is the default and the source of the keys (`zh-CN/`); `en-US/` must have the same
 * shape, which TypeScript checks. The chosen language is remembered in localStorage.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import zhCN from './zh-CN/index.js';
import enUS from './en-US/index.js';

/** The languages the console speaks. */
export type Language = 'zh-CN' | 'en-US';

/** Every message, by namespace (one file per screen or area under each language's folder). */
export type Messages = typeof zhCN;

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** A message key, `namespace.key`, e.g. `'login.submit'`. */
export type MessageKey = Leaves<Messages>;

/** Values for `{name}` placeholders. */
export type MessageValues = Readonly<Record<string, string | number>>;

/** Translates a key, filling `{name}` placeholders. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

const dictionaries: Readonly<Record<Language, Messages>> = { 'zh-CN': zhCN, 'en-US': enUS };
const storageKey = 'tm_lang';

/** The language remembered from last time, else Simplified Chinese. */
export function initialLanguage(): Language {
  const saved = globalThis.localStorage.getItem(storageKey);
  return saved === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Looks a key up in a language (exported for code outside React, e.g. error messages). */
export function translate(language: Language, key: string, values?: MessageValues): string {
  const [ns, name] = key.split('.', 2) as [string, string | undefined];
  const table = (dictionaries[language] as unknown as Record<string, Record<string, string> | undefined>)[ns];
  const text = name === undefined ? undefined : table?.[name];
  if (text === undefined) return key;
  return values === undefined ? text : text.replace(/\{(\w+)\}/g, (m, v: string) => String(values[v] ?? m));
}

/** Whether a key exists (error codes are looked up this way, with a fallback). */
export function hasMessage(key: string): boolean {
  const [ns, name] = key.split('.', 2) as [string, string | undefined];
  const table = (zhCN as unknown as Record<string, Record<string, string> | undefined>)[ns];
  return name !== undefined && table?.[name] !== undefined;
}

interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: Translate;
}

const I18nContext = createContext<I18n | undefined>(undefined);

/** Provides the language and `t` to the tree. */
export function I18nProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    globalThis.localStorage.setItem(storageKey, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(
    () => ({ language, setLanguage, t: (key, values) => translate(language, key, values) }),
    [language, setLanguage],
  );
  return <I18nContext value={value}>{children}</I18nContext>;
}

/** The current language, its switch and `t`. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === undefined) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
