import { ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { loader, type RequestContext } from '@ruche/common';
import { UserObject } from '@ruche/identity';
import { NetworkService } from '@ruche/network';
import { Clock } from './clock.js';
import { PreferencesService } from './preferences.service.js';
import { quietUntil, quietWindowsOf } from './quiet-hours.js';

/** Adds to User when deliveries to that person resume, so colleagues know when they will be told. */
@Resolver(() => UserObject)
export class UserQuietHoursResolver {
  constructor(
    private readonly prefs: PreferencesService,
    private readonly network: NetworkService,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => Date, {
    nullable: true,
    description:
      'Null when this person is not in quiet hours now (their own window or the network’s); else when emails and pushes to them resume.',
  })
  quietHoursUntil(user: UserObject, _args: unknown, ctx: RequestContext): Promise<Date | null> {
    return loader(
      ctx,
      'notifications.quietHoursUntil',
      () =>
        new DataLoader<UserObject, Date | null, string>(
          async (users) => {
            const [network, prefs] = await Promise.all([
              this.network.get(),
              this.prefs.ofUsers(users.map((u) => u.id)),
            ]);
            const now = this.clock.now();
            return users.map((u) =>
              quietUntil(
                now,
                quietWindowsOf(prefs.get(u.id)?.quietHours, network.quietHours),
                u.profile.timezone,
              ),
            );
          },
          { cacheKeyFn: (u) => u.id },
        ),
    ).load(user);
  }
}
