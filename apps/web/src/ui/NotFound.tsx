import { FormattedMessage, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Page } from './Page';

/** What a viewer may not read does not exist for them: the same page as for a wrong address. */
export function NotFound() {
  const intl = useIntl();
  return (
    <Page
      title={intl.formatMessage({
        id: 'ui.notFound.title',
        defaultMessage: 'Not found',
        description: 'Page title',
      })}
    >
      <p className="mb-4 text-stone-700">
        <FormattedMessage
          id="ui.notFound.body"
          defaultMessage="This page does not exist, or you may not see it."
          description="A missing or unreadable page"
        />
      </p>
      <Link className="text-amber-800 underline" to="/">
        <FormattedMessage
          id="ui.notFound.home"
          defaultMessage="Back to your feed"
          description="Link home"
        />
      </Link>
    </Page>
  );
}
