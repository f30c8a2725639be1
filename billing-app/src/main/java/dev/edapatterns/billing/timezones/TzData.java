package dev.edapatterns.billing.timezones;

import java.time.ZoneId;
import java.time.zone.ZoneRulesProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.ibm.icu.impl.ICUData;
import com.ibm.icu.impl.ICUResourceBundle;
import com.ibm.icu.text.TimeZoneNames;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.TimeZone.SystemTimeZoneType;
import com.ibm.icu.util.ULocale;
import com.ibm.icu.util.UResourceBundle;

import dev.edapatterns.contracts.reference.CountryTimeZones;

/**
 * A country's time zones and primary zone, derived from tz data: what billing-app writes for a country that has no
 * explicit zones.
 *
 * <p><b>Why ICU4J</b> (and not the tz database's {@code zone1970.tab}/{@code zone.tab} as a resource): ICU ships the IANA
 * tz data together with CLDR's data about it, updated together in one Maven artifact. It answers "which zones does country
 * X have" per country ({@code zone1970.tab} lists zones shared by several countries once, under all of them, and
 * {@code zone.tab} orders them geographically, so Russia's first zone is Kaliningrad), and CLDR adds what the tz
 * database does not have: the primary zone of a country with several (CLDR {@code primaryZones}: Chile, China, Germany,
 * New Zealand, Portugal, ...) and the metazones (Eastern Time, Central European Time, ...). A resource file would be a
 * second copy of the tz database to keep in step by hand.
 *
 * <p><b>One source of truth for the ids, kept consistent with {@link ZoneId}</b>: readers compute offsets with their
 * JVM's {@code java.time} rules, which come with the JDK, not with ICU. So a zone is kept only if this JVM's
 * {@code java.time} knows it (ICU may list a zone newer than the JDK's tz data, e.g. America/Coyhaique, added in tz
 * 2025a); ICU's CLDR ids are turned into IANA's current names (Asia/Calcutta -> Asia/Kolkata). The value's
 * {@link #version()} names both data sets, {@code <ICU tz>/<java.time tz>}: a new release of either can change a
 * derivation, and both are recorded on every derived value.
 *
 * <p>Primary zone: the only zone; else CLDR's primary zone of the country; else the reference zone, for this country,
 * of the metazone that covers most of its zones (US: America/New_York, AU: Australia/Sydney, BR: America/Sao_Paulo). Where
 * that is not the wanted one (CLDR names none for Russia or Canada), an admin lists the zones explicitly.
 */
public final class TzData {

    private static final Logger LOG = Logger.getLogger(TzData.class);
    private static final Pattern VERSION = Pattern.compile("(\\d{4})([a-z]+)");
    private static final TzData INSTALLED = new TzData();

    private final String version;
    private final Set<String> javaTimeIds = Set.copyOf(ZoneId.getAvailableZoneIds());
    private final Map<String, String> primaryZones = cldrPrimaryZones();
    private final TimeZoneNames names = TimeZoneNames.getInstance(ULocale.ROOT);
    private final Map<String, Optional<CountryTimeZones>> derived = new ConcurrentHashMap<>();

    private TzData() {
        this.version = TimeZone.getTZDataVersion() + "/" + ZoneRulesProvider.getVersions("UTC").lastKey();
    }

    /** The data of this process: ICU4J on the classpath and this JVM's java.time rules. */
    public static TzData installed() {
        return INSTALLED;
    }

    /** {@code <ICU tz data>/<java.time tz data>}, e.g. {@code 2026e/2025a}. */
    public String version() {
        return version;
    }

    /** The country's zones (primary first) stamped with {@link #version()}; empty for a code without zones (BV, HM, XX). */
    public Optional<CountryTimeZones> derive(String country) {
        return derived.computeIfAbsent(country, this::compute);
    }

    private Optional<CountryTimeZones> compute(String country) {
        Set<String> cldrIds = TimeZone.getAvailableIDs(SystemTimeZoneType.CANONICAL_LOCATION, country, null);
        Map<String, String> ianaByCldr = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String cldr : new TreeSet<>(cldrIds)) {
            String iana = TimeZone.getIanaID(cldr);
            String id = iana == null || iana.equals(TimeZone.UNKNOWN_ZONE_ID) ? cldr : iana;
            if (javaTimeIds.contains(id)) {
                ianaByCldr.put(cldr, id);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            // once per country and process (the result is cached): the JDK's tz data is older than ICU's
            LOG.warnf("Tz data %s: %s has zones this JVM's java.time does not know, left out until the JDK's tz data "
                    + "catches up: %s", version, country, unknown);
        }
        if (ianaByCldr.isEmpty()) {
            return Optional.empty();
        }
        String primary = ianaByCldr.get(primaryCldrId(country, ianaByCldr.keySet()));
        Set<String> zones = new LinkedHashSet<>();
        zones.add(primary);
        zones.addAll(ianaByCldr.values());
        return Optional.of(new CountryTimeZones(List.copyOf(zones), primary, version));
    }

    private String primaryCldrId(String country, Set<String> cldrIds) {
        if (cldrIds.size() == 1) {
            return cldrIds.iterator().next();
        }
        String cldrPrimary = primaryZones.get(country);
        if (cldrPrimary != null && cldrIds.contains(cldrPrimary)) {
            return cldrPrimary;
        }
        // the metazone covering most of the country's zones (ties: the first by name, so the answer is stable)
        long now = System.currentTimeMillis();
        Map<String, Integer> perMetaZone = new LinkedHashMap<>();
        for (String id : cldrIds) {
            String metaZone = names.getMetaZoneID(id, now);
            if (metaZone != null) {
                perMetaZone.merge(metaZone, 1, Integer::sum);
            }
        }
        Optional<String> reference = perMetaZone.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> names.getReferenceZoneID(e.getKey(), country))
                .filter(cldrIds::contains)
                .findFirst();
        return reference.orElse(cldrIds.iterator().next());
    }

    /** CLDR supplemental metaZones {@code primaryZones}: ICU has no public API for it, only its resource bundle. */
    private static Map<String, String> cldrPrimaryZones() {
        UResourceBundle primary = UResourceBundle.getBundleInstance(ICUData.ICU_BASE_NAME, "metaZones",
                ICUResourceBundle.ICU_DATA_CLASS_LOADER).get("primaryZones");
        Map<String, String> byCountry = new LinkedHashMap<>();
        for (int i = 0; i < primary.getSize(); i++) {
            byCountry.put(primary.get(i).getKey(), primary.get(i).getString());
        }
        return Map.copyOf(byCountry);
    }

    /**
     * Orders versions {@code <ICU tz>/<java.time tz>}: by ICU's tz release, then java.time's ({@code 2025b} after
     * {@code 2025a}, {@code 2026a} after {@code 2025z}). An unreadable part sorts first.
     */
    public static final Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = compareRelease(i < x.length ? x[i] : "", i < y.length ? y[i] : "");
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static int compareRelease(String a, String b) {
        Matcher x = VERSION.matcher(a);
        Matcher y = VERSION.matcher(b);
        boolean xs = x.matches();
        boolean ys = y.matches();
        if (!xs || !ys) {
            return Boolean.compare(xs, ys);
        }
        int year = x.group(1).compareTo(y.group(1));
        if (year != 0) {
            return year;
        }
        // 2025z < 2025za: letters by length, then alphabetically
        return Comparator.comparingInt(String::length).thenComparing(Comparator.<String>naturalOrder())
                .compare(x.group(2), y.group(2));
    }
}
