/** The error pages' titles and advice, by status. */
export const ERROR_PAGES: Record<number, { title: string; paragraphs: string[] }> = {
  400: { title: 'There is a problem with the request', paragraphs: ['Go back and check what you entered.'] },
  403: {
    title: 'You do not have permission to do this',
    paragraphs: ['If you think you should, speak to your supervisor or an administrator.'],
  },
  404: {
    title: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you followed a link to a case, it may not exist or you may not have access to it.',
    ],
  },
  409: {
    title: 'This cannot be done at this stage of the case',
    paragraphs: ['Go back to the case to see what can be done now.'],
  },
  422: { title: 'This cannot be done yet', paragraphs: ['Go back to the case to see what can be done now.'] },
  413: { title: 'What you sent is too large', paragraphs: ['Shorten the text and try again.'] },
  429: { title: 'Too many attempts', paragraphs: ['Wait a minute and try again.'] },
  500: {
    title: 'Sorry, there is a problem with the service',
    paragraphs: ['Try again later. Nothing you entered has been half-saved: either all of it was saved or none of it.'],
  },
}

/**
 * What an error page says: the error's own message, then the page's advice, each once. The title is not said again
 * ("Too many attempts" over "Too many attempts. Wait a minute…"), nor advice the message already gives.
 */
export function errorParagraphs(page: { title: string; paragraphs: string[] }, message: string): string[] {
  const own = message.startsWith(`${page.title}. `) ? message.slice(page.title.length + 2) : message
  return [own, ...page.paragraphs.filter((p) => !own.includes(p))]
}
