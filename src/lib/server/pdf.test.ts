import { describe, expect, it } from 'vitest';
import { PdfUnavailable, renderPdf } from './pdf';

describe('renderPdf', () => {
	it('says the PDF is unavailable, without trying, when there is no Chromium to run', async () => {
		const attempt = renderPdf(new URL('http://127.0.0.1:9/briefing/5105'), [], {
			executablePath: '/nonexistent/chromium',
			ready: 'body'
		});
		await expect(attempt).rejects.toBeInstanceOf(PdfUnavailable);
		await expect(attempt).rejects.toThrow('/nonexistent/chromium');
	});
});
