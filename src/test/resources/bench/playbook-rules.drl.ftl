<#-- The playbook rules as DRL: the alternative to building them in code (RuleBaseBuilder).
     Kept for the benchmark that compares both (bench/doctor-bench.sh); the doctor itself builds
     the executable model in code, which measured faster on this machine. -->
package dev.minsky.doctor.playbooks.drl;

import dev.minsky.doctor.engine.Observation;
import dev.minsky.doctor.engine.CauseHit;
import dev.minsky.doctor.engine.EvidenceHit;
import dev.minsky.doctor.engine.RemediationEligible;

<#list rules as r>
rule "${r.name}"
when
<#list r.patterns as p>
    ${p}
</#list>
then
    ${r.consequence}
end

</#list>
