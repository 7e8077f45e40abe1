import { CombinedGraphQLErrors } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import {
  NotificationsPushKeyDocument,
  NotificationsRegisterPushDocument,
  NotificationsRemovePushDocument,
} from '../../gql/graphql';
import { Button, Problems, problemsOf } from '../../ui';
import { currentSubscription, PushRefused, pushSupported, subscribe } from './push';

type State = 'checking' | 'unsupported' | 'off' | 'on';
type Trouble = 'refused' | 'failed' | null;

/** Web Push on this device: turn on (service worker, permission, VAPID key, API), turn off. */
export function PushSection() {
  const client = useApolloClient();
  const [state, setState] = useState<State>('checking');
  const [busy, setBusy] = useState(false);
  const [trouble, setTrouble] = useState<Trouble>(null);
  const [register, registered] = useMutation(NotificationsRegisterPushDocument);
  const [remove, removed] = useMutation(NotificationsRemovePushDocument);

  useEffect(() => {
    if (!pushSupported()) return setState('unsupported');
    let live = true;
    currentSubscription()
      .then((s) => live && setState(s ? 'on' : 'off'))
      .catch(() => live && setState('off'));
    return () => {
      live = false;
    };
  }, []);

  const turnOn = async () => {
    setBusy(true);
    setTrouble(null);
    try {
      const { data } = await client.query({ query: NotificationsPushKeyDocument });
      if (!data) throw new Error('no key');
      const input = await subscribe(data.pushPublicKey);
      await register({ variables: { input } });
      setState('on');
    } catch (e) {
      setTrouble(
        e instanceof PushRefused ? 'refused' : CombinedGraphQLErrors.is(e) ? null : 'failed',
      );
    } finally {
      setBusy(false);
    }
  };

  const turnOff = async () => {
    setBusy(true);
    setTrouble(null);
    try {
      const subscription = await currentSubscription();
      if (subscription) {
        await remove({ variables: { endpoint: subscription.endpoint } });
        await subscription.unsubscribe();
      }
      setState('off');
    } catch (e) {
      setTrouble(CombinedGraphQLErrors.is(e) ? null : 'failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      aria-labelledby="push-title"
      className="rounded-lg border border-stone-200 bg-white p-4"
    >
      <h2 id="push-title" className="mb-2 text-lg font-semibold text-stone-900">
        <FormattedMessage
          id="notifications.push.title"
          defaultMessage="Push notifications on this device"
          description="Section heading"
        />
      </h2>
      <p role="status" className="mb-3 text-sm text-stone-700">
        {state === 'unsupported' ? (
          <FormattedMessage
            id="notifications.push.unsupported"
            defaultMessage="This browser cannot receive push notifications. On a phone, add Ruche to your home screen first."
            description="Push is not available in this browser"
          />
        ) : state === 'on' ? (
          <FormattedMessage
            id="notifications.push.on"
            defaultMessage="This device receives push notifications."
            description="Push state"
          />
        ) : state === 'off' ? (
          <FormattedMessage
            id="notifications.push.off"
            defaultMessage="This device does not receive push notifications."
            description="Push state"
          />
        ) : null}
      </p>
      <Problems problems={problemsOf(registered.error ?? removed.error)} />
      {trouble && (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {trouble === 'refused' ? (
            <FormattedMessage
              id="notifications.push.refused"
              defaultMessage="Your browser blocks notifications from Ruche: allow them in its site settings, then try again."
              description="The person or the browser refused the notification permission"
            />
          ) : (
            <FormattedMessage
              id="notifications.push.failed"
              defaultMessage="Push notifications could not be turned on on this device. Try again later."
              description="Subscribing to push failed"
            />
          )}
        </p>
      )}
      {state === 'off' && (
        <Button onClick={() => void turnOn()} busy={busy}>
          <FormattedMessage
            id="notifications.push.turnOn"
            defaultMessage="Turn on push notifications on this device"
            description="Button"
          />
        </Button>
      )}
      {state === 'on' && (
        <Button variant="secondary" onClick={() => void turnOff()} busy={busy}>
          <FormattedMessage
            id="notifications.push.turnOff"
            defaultMessage="Turn off push notifications on this device"
            description="Button"
          />
        </Button>
      )}
    </section>
  );
}
