package io.dialerbridge.dnc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference model of who may be called: what Salesforce holds about the sequence's people, and, from that and
 * the dialer's own dispositions, who and which numbers are suppressed. It is the specification the test holds the
 * bridge to.
 *
 * <h2>Who is suppressed</h2>
 * A person is suppressed while at least one <em>reason</em> holds:
 * <ul>
 *   <li>{@code SALESFORCE_DNC}: the record's {@code DoNotCall} is true in Salesforce;</li>
 *   <li>{@code STATUS}: the Lead's {@code Status} is one of {@code dialer.mapping.suppress-statuses}
 *       ({@code Do Not Call});</li>
 *   <li>{@code REQUEST}: a {@code Dialer_Command__e} {@code SUPPRESS_RECORD} named the person and no
 *       {@code UNSUPPRESS_RECORD} followed it;</li>
 *   <li>{@code DISPOSITION}: the dialer ever reported a {@code DO_NOT_CALL} disposition for the person
 *       (permanent: nothing in Salesforce can lift the person's own request).</li>
 * </ul>
 * Each reason is lifted only by its own source. Deleting the record lifts nothing (safe reading: the product is
 * silent; a deleted record keeps its {@code DoNotCall} in Salesforce's recycle bin, and an undelete brings it back).
 *
 * <h2>Which numbers are suppressed</h2>
 * A number is suppressed when
 * <ul>
 *   <li>a {@code DO_NOT_CALL} disposition named it (permanent), or</li>
 *   <li>it is <em>held</em> by a suppressed person: a person's suppression holds every number the person had when
 *       the suppression began (reasons went from none to some), and every number the person gets while it lasts. A
 *       held number stays suppressed while the suppression lasts, even when the person drops it or it moves to
 *       someone else; when the person's last reason lifts, the person's held numbers are lifted unless another
 *       suppressed person holds them or a disposition named them.</li>
 * </ul>
 * Numbers a suppressed person gets later, and numbers they drop, are the safe reading where the product is silent
 * (docs/routes.md and the dialer contract speak of the numbers "of" a suppressed person): whoever answers a number
 * that belonged to a Do Not Call person when they asked may be that person. {@code -Ddnc.model.held-numbers=
 * at-suppression} narrows the held numbers to those the person had when the suppression began (the reading of issue
 * 10's brief), to look past this one finding.
 *
 * <h2>Who the dialer should know</h2>
 * A person is <em>active</em> when the record is live (not deleted) and, for a Lead, its status is not one of
 * {@code dialer.mapping.remove-statuses}; active memberships are live CampaignMembers whose status is not one of
 * {@code dialer.mapping.campaign-member-remove-statuses}. A person is <em>fully callable</em> when active, not
 * suppressed and holding no suppressed number; only for them does the final check demand that the dialer's view
 * equal Salesforce (the product may hold back a whole upsert that carries a suppressed number).
 */
final class DoNotCallModel {

    static final Set<String> SUPPRESS_STATUSES = Set.of("do not call");
    static final Set<String> REMOVE_STATUSES = Set.of("closed - not converted", "unqualified");
    static final Set<String> MEMBER_REMOVE_STATUSES = Set.of("removed", "opted out");
    static final List<String> PHONE_FIELDS = List.of("Phone", "MobilePhone");
    /** Whether a suppression also holds the numbers its person gets while it lasts (the default, the safe reading). */
    static final boolean HOLDS_LATER_NUMBERS = !"at-suppression".equals(System.getProperty("dnc.model.held-numbers"));

    enum Reason { SALESFORCE_DNC, STATUS, REQUEST, DISPOSITION }

    /** One person of the sequence as Salesforce and the dialer's requests make them. */
    static final class Person {
        final int slot;
        final String id;
        final boolean lead;
        boolean live = true;
        boolean doNotCall;
        String status;
        String email;
        /** Phone field to E.164 for the fields that hold a number. */
        final Map<String, String> phones = new LinkedHashMap<>();
        boolean requested;
        boolean dispositioned;
        /** Numbers the current suppression holds; empty while not suppressed. */
        final Set<String> held = new LinkedHashSet<>();
        /** Whether the person was suppressed at the previous step. */
        boolean wasSuppressed;
        /** Campaign id to the live CampaignMember id, and that member's status. */
        final Map<String, String> memberIds = new LinkedHashMap<>();
        final Map<String, String> memberStatuses = new LinkedHashMap<>();

        Person(int slot, String id, boolean lead) {
            this.slot = slot;
            this.id = id;
            this.lead = lead;
        }

        Set<Reason> reasons() {
            Set<Reason> reasons = EnumSet.noneOf(Reason.class);
            if (doNotCall) {
                reasons.add(Reason.SALESFORCE_DNC);
            }
            if (lead && status != null && SUPPRESS_STATUSES.contains(status.strip().toLowerCase(Locale.ROOT))) {
                reasons.add(Reason.STATUS);
            }
            if (requested) {
                reasons.add(Reason.REQUEST);
            }
            if (dispositioned) {
                reasons.add(Reason.DISPOSITION);
            }
            return reasons;
        }

        boolean suppressed() {
            return !reasons().isEmpty();
        }

        boolean active() {
            return live && !(lead && status != null
                    && REMOVE_STATUSES.contains(status.strip().toLowerCase(Locale.ROOT)));
        }

        Set<String> numbers() {
            return new LinkedHashSet<>(phones.values());
        }

        /** Campaigns the person is an active member of. */
        Set<String> activeCampaigns() {
            Set<String> campaigns = new TreeSet<>();
            memberStatuses.forEach((campaign, status) -> {
                if (!MEMBER_REMOVE_STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
                    campaigns.add(campaign);
                }
            });
            return campaigns;
        }

        String name() {
            return "P" + slot + (lead ? "(Lead " : "(Contact ") + id + ")";
        }
    }

    /** The suppressed people and numbers after one model step. */
    record Snapshot(Map<String, Set<Reason>> suppressedPeople, Set<String> suppressedNumbers) {

        boolean isSuppressed(String personId) {
            return suppressedPeople.containsKey(personId);
        }

        boolean isNumberSuppressed(String e164) {
            return suppressedNumbers.contains(e164);
        }
    }

    private final Map<Integer, Person> people = new LinkedHashMap<>();
    private final Map<String, Person> byId = new LinkedHashMap<>();
    private final Set<String> numbersByDisposition = new LinkedHashSet<>();
    private final List<Snapshot> timeline = new ArrayList<>();
    private final List<String> numbers;
    private final List<String> campaigns;

    DoNotCallModel(List<String> numbers, List<String> campaigns) {
        this.numbers = List.copyOf(numbers);
        this.campaigns = List.copyOf(campaigns);
        timeline.add(new Snapshot(Map.of(), Set.of()));
    }

    List<String> numbers() {
        return numbers;
    }

    List<String> campaigns() {
        return campaigns;
    }

    String number(int index) {
        return numbers.get(index);
    }

    Person person(int slot) {
        return people.get(slot);
    }

    Person byId(String id) {
        return byId.get(id);
    }

    boolean isPerson(String id) {
        return byId.containsKey(id);
    }

    Map<Integer, Person> people() {
        return Collections.unmodifiableMap(people);
    }

    Person created(int slot, String id, boolean lead) {
        Person person = new Person(slot, id, lead);
        people.put(slot, person);
        byId.put(id, person);
        return person;
    }

    void dispositionNamed(String e164) {
        numbersByDisposition.add(e164);
    }

    /** Index of the latest step; 0 is the empty start. */
    int now() {
        return timeline.size() - 1;
    }

    Snapshot at(int step) {
        return timeline.get(Math.max(0, Math.min(step, now())));
    }

    Snapshot current() {
        return at(now());
    }

    /** Closes one step: updates what each suppression holds and records the step's snapshot. */
    int settle() {
        Map<String, Set<Reason>> suppressed = new LinkedHashMap<>();
        for (Person person : people.values()) {
            Set<Reason> reasons = person.reasons();
            if (reasons.isEmpty()) {
                person.held.clear();
            } else {
                // newly suppressed: the numbers it has now; still suppressed: plus any it got meanwhile
                if (!person.wasSuppressed || HOLDS_LATER_NUMBERS) {
                    person.held.addAll(person.numbers());
                }
                suppressed.put(person.id, reasons);
            }
            person.wasSuppressed = !reasons.isEmpty();
        }
        Set<String> suppressedNumbers = new TreeSet<>(numbersByDisposition);
        people.values().stream().filter(Person::suppressed).forEach(person -> suppressedNumbers.addAll(person.held));
        timeline.add(new Snapshot(Map.copyOf(suppressed), Set.copyOf(suppressedNumbers)));
        return now();
    }

    /** Active, not suppressed, and none of the person's numbers suppressed. */
    boolean isFullyCallable(Person person) {
        Snapshot now = current();
        return person.active() && !now.isSuppressed(person.id)
                && person.numbers().stream().noneMatch(now::isNumberSuppressed);
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        Snapshot now = current();
        for (Person person : people.values()) {
            text.append("\n    ").append(person.name()).append(person.live ? "" : " deleted")
                    .append(person.lead ? " status " + person.status : "").append(" phones ").append(person.phones)
                    .append(" campaigns ").append(person.activeCampaigns())
                    .append(now.isSuppressed(person.id) ? " SUPPRESSED " + now.suppressedPeople().get(person.id) : "")
                    .append(person.held.isEmpty() ? "" : " holds " + person.held);
        }
        text.append("\n    suppressed numbers ").append(now.suppressedNumbers());
        return text.toString();
    }
}
