package io.dialerbridge.leadership;

import java.util.List;
import java.util.Optional;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * The cluster service the leader-only routes' policy uses: another service elects (Kafka's group coordinator, or a
 * Kubernetes Lease), and this one says "leader" only once the bridge's takeover is complete — the old leader's
 * transactional ids fenced, the state it wrote caught up with — so no route can start before it, whichever order the
 * elector tells its listeners in. Losing leadership is passed on at once.
 */
public final class TakeoverFirstClusterService extends AbstractCamelClusterService<TakeoverFirstClusterService.View> {

    private final CamelClusterService elector;
    private final BridgeLeadership leadership;

    public TakeoverFirstClusterService(CamelClusterService elector, BridgeLeadership leadership) {
        super(elector.getId() + "-takeover-first");
        this.elector = elector;
        this.leadership = leadership;
    }

    /** The service that elects. */
    public CamelClusterService elector() {
        return elector;
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    /** A namespace's view: follows the elector's, behind the takeover. */
    public final class View extends AbstractCamelClusterView implements CamelClusterEventListener.Leadership {

        private final CamelClusterMember local = new Member();
        private volatile CamelClusterView elected;
        private volatile boolean leader;

        View(TakeoverFirstClusterService service, String namespace) {
            super(service, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() throws Exception {
            elected = elector.getView(getNamespace());
            elected.addEventListener(this);
        }

        @Override
        protected void doStop() throws Exception {
            CamelClusterView current = elected;
            if (current != null) {
                current.removeEventListener(this);
                elector.releaseView(current);
            }
            changed(false);
        }

        /** Told on the elector's thread; the takeover runs there, before this view tells the routes' policy. */
        @Override
        public void leadershipChanged(CamelClusterView view, CamelClusterMember newLeader) {
            boolean electedHere = view.getLocalMember().isLeader();
            if (electedHere && !leader) {
                if (leadership.takeOver(() -> view.getLocalMember().isLeader())) {
                    changed(true);
                }
            } else if (!electedHere && leader) {
                changed(false);
            }
        }

        private synchronized void changed(boolean leads) {
            if (leader == leads) {
                return;
            }
            leader = leads;
            if (!leads) {
                leadership.lost();
            }
            fireLeadershipChangedEvent(leads ? local : null);
        }

        private final class Member implements CamelClusterMember {
            @Override
            public String getId() {
                CamelClusterView current = elected;
                return current == null ? "local" : current.getLocalMember().getId();
            }

            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }
        }
    }
}
