import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly, CurrentViewer, Public, type Viewer } from '@ruche/common';
import { NetworkSettingsInput, NetworkSettingsObject } from './graphql/network.objects.js';
import { NetworkService } from './network.service.js';

@Resolver(() => NetworkSettingsObject)
export class NetworkResolver {
  constructor(private readonly network: NetworkService) {}

  @Public()
  @Query(() => NetworkSettingsObject, {
    name: 'network',
    description: 'Public: the sign-up page shows the name and how to join.',
  })
  settings(): Promise<NetworkSettingsObject> {
    return this.network.get() as Promise<NetworkSettingsObject>;
  }

  @AdminOnly()
  @Mutation(() => NetworkSettingsObject)
  updateNetworkSettings(
    @Args('input') input: NetworkSettingsInput,
    @CurrentViewer() viewer: Viewer,
  ): Promise<NetworkSettingsObject> {
    return this.network.update(input, viewer.id) as Promise<NetworkSettingsObject>;
  }
}
