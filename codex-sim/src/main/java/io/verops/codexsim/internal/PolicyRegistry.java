package io.verops.codexsim.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Policies by operation name. Thread-safe. */
public final class PolicyRegistry {

    private final Map<String, OperationPolicy> policies = new ConcurrentHashMap<>();

    /** A registry with every built-in policy ({@code user-provisioning}, {@code quota-change}, {@code migration-followup}). */
    public static PolicyRegistry defaults() {
        PolicyRegistry r = new PolicyRegistry();
        r.register(new UserProvisioningPolicy()).register(new QuotaChangePolicy()).register(new MigrationFollowupPolicy());
        return r;
    }

    /** Adds or replaces the policy for its operation. */
    public PolicyRegistry register(OperationPolicy policy) {
        policies.put(policy.operation(), policy);
        return this;
    }

    public Optional<OperationPolicy> find(String operation) {
        return operation == null ? Optional.empty() : Optional.ofNullable(policies.get(operation));
    }

    public List<String> operations() {
        return policies.keySet().stream().sorted().toList();
    }
}
