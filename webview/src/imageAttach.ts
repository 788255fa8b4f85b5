// Images pasted or dropped into the composer: read as base64 here and posted to the host, which checks
// them again (type, size, bytes) before they become a chip. Anything else pasted stays ordinary text.
import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, type ImageMediaType, type WebviewToHost } from '../../src/shared/protocol';
import { t } from './strings';

/** The image files among `files`, and a note for those that cannot be attached. */
export function imageFiles(files: readonly File[]): { images: File[]; refused: string[] } {
  const images: File[] = [];
  const refused: string[] = [];
  for (const file of files) {
    if (!IMAGE_MEDIA_TYPES.includes(file.type as ImageMediaType)) {
      if (file.type.startsWith('image/')) refused.push(t('image.badType', file.name || t('image.unnamed')));
    } else if (file.size > MAX_IMAGE_BYTES) refused.push(t('image.tooLarge', file.name || t('image.unnamed'), MAX_IMAGE_BYTES / 1024 / 1024));
    else images.push(file);
  }
  return { images, refused };
}

export function postImage(file: File, post: (msg: WebviewToHost) => void): Promise<void> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      const dataBase64 = url.slice(url.indexOf(',') + 1);
      if (dataBase64) post({ type: 'attachImage', mediaType: file.type as ImageMediaType, dataBase64, name: (file.name || `pasted-image.${file.type.slice(6)}`).slice(0, 300) });
      resolve();
    };
    reader.onerror = () => resolve();
    reader.readAsDataURL(file);
  });
}
