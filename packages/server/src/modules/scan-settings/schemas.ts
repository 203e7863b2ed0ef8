import { Type } from 'typebox';
import { Id } from '../../lib/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A link on the scan page. */
export const ScanLinkSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('shop'), Type.Literal('news'), Type.Literal('promotion')]),
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }),
    label: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 40,
          description: 'Caption; null or missing shows a generic one per kind (购买 / 资讯 / 优惠).',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const links = Type.Array(ScanLinkSchema, { maxItems: 10 });
const text = (description: string) => Type.String({ maxLength: 500, description });

/** The scan-page settings in force (enterprise defaults filled in, or a product's merged ones). */
export const ScanSettings = Type.Object({
  queryLimit: Nullable(
    Type.Integer({
      description: 'Queries of one code before the verdict turns to a warning; null: no limit.',
    }),
  ),
  warningText: Nullable(Type.String()),
  promptText: Nullable(Type.String()),
  imageFileId: Nullable(Id),
  antiCounterfeitPopup: Type.Boolean(),
  links: Type.Array(
    Type.Object({
      kind: ScanLinkSchema.properties.kind,
      url: Type.String(),
      label: Nullable(Type.String()),
    }),
  ),
});

/**
 * The enterprise's settings. A missing field takes its default: query limit 10, no texts, no
 * image, popup on, no links.
 */
export const PutScanSettingsBody = Type.Object(
  {
    queryLimit: Type.Optional(
      Nullable(
        Type.Integer({
          minimum: 1,
          maximum: 100_000,
          description:
            'Queries of one code before the verdict turns to a warning; null: no limit. Default 10.',
        }),
      ),
    ),
    warningText: Type.Optional(Nullable(text('Shown with a warning verdict (e.g. a hotline).'))),
    promptText: Type.Optional(Nullable(text('Shown with genuine verdicts (提示语).'))),
    imageFileId: Type.Optional(
      Nullable(
        Type.String({
          format: 'uuid',
          description:
            'A JPEG or PNG of yours uploaded with POST /api/v1/scan-settings/image (or a product image); shown ' +
            "instead of the product's own image.",
        }),
      ),
    ),
    antiCounterfeitPopup: Type.Optional(
      Type.Boolean({
        description: 'Whether the verdict box shows (off for trace-only pages). Default true.',
      }),
    ),
    links: Type.Optional(links),
  },
  { additionalProperties: false },
);

/** A product's override: every null (or missing) field inherits the enterprise's setting. */
export const ScanSettingsOverride = Type.Object(
  {
    queryLimit: Type.Optional(
      Nullable(
        Type.Union([
          Type.Integer({ minimum: 1, maximum: 100_000 }),
          Type.Literal('none', { description: 'No limit for this product.' }),
        ]),
      ),
    ),
    warningText: Type.Optional(Nullable(text('"" shows no warning text for this product.'))),
    promptText: Type.Optional(Nullable(text('"" shows no prompt text for this product.'))),
    imageFileId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    antiCounterfeitPopup: Type.Optional(Nullable(Type.Boolean())),
    links: Type.Optional(
      Nullable(Type.Array(ScanLinkSchema, { maxItems: 10, description: '[] shows no links.' })),
    ),
  },
  { additionalProperties: false },
);

/** A product's scan settings: its override (null when it has none) and what is in force. */
export const ProductScanSettings = Type.Object({
  override: Nullable(
    Type.Object({
      queryLimit: Nullable(Type.Union([Type.Integer(), Type.Literal('none')])),
      warningText: Nullable(Type.String()),
      promptText: Nullable(Type.String()),
      imageFileId: Nullable(Id),
      antiCounterfeitPopup: Nullable(Type.Boolean()),
      links: Nullable(ScanSettings.properties.links),
    }),
  ),
  effective: ScanSettings,
});

/** The product id in a path. */
export const ProductParams = Type.Object({ productId: Id });

/** Fields sent with the image upload: none besides the file. */
export const NoFields = Type.Object({}, { additionalProperties: false });

/** The stored image. */
export const UploadedImage = Type.Object({ fileId: Id });

/** What to preview: drafts of the settings, the product, the verdict and the language. */
export const PreviewBody = Type.Object(
  {
    productId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          "The product the page is for (its override, name, image and batch). Without it: the enterprise's " +
          'settings on its newest active product.',
      }),
    ),
    enterprise: Type.Optional(
      Type.Object(PutScanSettingsBody.properties, {
        additionalProperties: false,
        description:
          "A draft of the enterprise's settings (as PUT /api/v1/scan-settings takes it); missing: the saved ones.",
      }),
    ),
    override: Type.Optional(
      Type.Object(ScanSettingsOverride.properties, {
        additionalProperties: false,
        description:
          "A draft of the product's override (as PUT /api/v1/products/{productId}/scan-settings takes it; needs " +
          'productId); missing: the saved one.',
      }),
    ),
    verdict: Type.Optional(
      Type.Union([Type.Literal('genuine_first'), Type.Literal('genuine_repeat'), Type.Literal('warning')], {
        description: 'The verdict to show. Default genuine_first.',
      }),
    ),
    language: Type.Optional(
      Type.Union([Type.Literal('zh'), Type.Literal('en')], { description: 'Default zh.' }),
    ),
  },
  { additionalProperties: false },
);
