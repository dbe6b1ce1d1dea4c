// The local Apache Kafka launcher's API: `kchat broker`, the test set-up, `kchat --local` and the benchmark use it.
export {startBroker, DEFAULT_PORT, DEFAULT_HEAP, DEFAULT_INITIAL_REBALANCE_DELAY_MS, type StartOptions, type StartResult, type SaslListener} from './start-broker.js';
export {INTER_BROKER_USER, validateScramUserName, type ScramUser} from './scram-users.js';
export {stopBroker, type StopOptions, type StopResult} from './stop-broker.js';
export {brokerStatus, type BrokerStatus} from './broker-status.js';
export {brokerLogFile, readBrokerLog, followBrokerLog} from './broker-log.js';
export {defaultDataDir, defaultClusterDir, artifactsDir} from './broker-paths.js';
export {BrokerError, type BrokerErrorCode} from './broker-error.js';
export {KAFKA_VERSION} from './kafka-version.js';
export {streamProgress, silentProgress, type Progress} from './progress.js';
export {freePort} from './ports.js';
export {type ProbeFactory, type ProbeTarget, type ReadyProbe} from './wait-ready.js';
export {startCluster, CLUSTER_NODES, DEFAULT_CLUSTER_PORT, DEFAULT_NODE_HEAP, type ClusterStartOptions, type ClusterStartResult, type ClusterTls, type NodeInfo} from './start-cluster.js';
export {stopCluster, type ClusterStopResult, type NodeStop} from './stop-cluster.js';
export {clusterStatus, type ClusterStatus, type NodeStatus} from './cluster-status.js';
export {isClusterDir} from './cluster-state.js';
export {isBrokerDir} from './broker-state.js';
export {ensureClientCertificate, tlsPaths, type ClientCertificate} from './certificates.js';
