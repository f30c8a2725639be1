package dev.edapatterns.e2e;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;

/**
 * A stopped process's static group members ({@code group.instance.id} ending in {@code -<instance-id>}). A static
 * member does not leave its group on shutdown, by design: its restart takes the partitions back without a
 * rebalance. Until its session times out, though, the next process joining the group waits for it. Once a process
 * is stopped (not killed: a killed member holding its partitions is what the fault tests are about), the harness
 * removes its members, as an operator would (Admin {@code removeMembersFromConsumerGroup}).
 */
final class StaticMembers {

    private StaticMembers() {
    }

    static void removeOf(String bootstrapServers, String instanceId) {
        String suffix = "-" + instanceId;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(5, TimeUnit.SECONDS)
                    .stream().map(GroupListing::groupId).toList();
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get(5, TimeUnit.SECONDS).values()) {
                Set<MemberToRemove> members = group.members().stream()
                        .filter(m -> m.groupInstanceId().filter(id -> id.endsWith(suffix)).isPresent())
                        .map(m -> new MemberToRemove(m.groupInstanceId().get())).collect(Collectors.toSet());
                if (!members.isEmpty()) {
                    admin.removeMembersFromConsumerGroup(group.groupId(), new RemoveMembersFromConsumerGroupOptions(members))
                            .all().get(5, TimeUnit.SECONDS);
                }
            }
        } catch (Exception e) { // the members then time out as they would have anyway
            ImporterCluster.log("could not remove the static members of %s: %s", instanceId, e);
        }
    }
}
