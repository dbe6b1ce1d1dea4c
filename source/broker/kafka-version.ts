/** The one Apache Kafka release kchat runs locally (`kchat broker`), pinned. docker-compose.yml pins the same. */
export const KAFKA_VERSION = '4.3.1';

/** The Scala build of the broker artifact: `org.apache.kafka:kafka_2.13`. */
export const KAFKA_SCALA_VERSION = '2.13';

/**
 * Kafka's jars log through SLF4J 1.7 but its POMs do not bring a binding (the release tarball adds one).
 * Without it the broker logs nothing at all, so we add the log4j2 binding matching the log4j-core that
 * kafka_2.13 depends on.
 */
export const LOG4J_VERSION = '2.25.4';

/** Pinned so the resolution does not depend on the Maven version installed. */
export const MAVEN_DEPENDENCY_PLUGIN_VERSION = '3.8.1';
