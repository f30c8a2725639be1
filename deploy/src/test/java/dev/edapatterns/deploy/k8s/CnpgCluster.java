package dev.edapatterns.deploy.k8s;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * CloudNativePG's {@code Cluster} ({@code postgresql.cnpg.io/v1}), typed for the fields our manifests use: no Java
 * model of the CRD is published, and a generic resource would accept any typo. {@link Manifests#YAML} fails on a field
 * missing here, so a new field of the manifest is added here deliberately (names as in the CRD's reference).
 */
// fabric8's KubernetesResource names a deserializer that turns unknown kinds into generic resources: not for this one
@JsonDeserialize(using = JsonDeserializer.None.class)
public final class CnpgCluster implements HasMetadata {

    public static final String API_VERSION = "postgresql.cnpg.io/v1";
    public static final String KIND = "Cluster";

    private String apiVersion = API_VERSION;
    private String kind = KIND;
    private ObjectMeta metadata;
    private Spec spec;

    public record Spec(Integer instances, String imageName, String primaryUpdateStrategy, Bootstrap bootstrap,
            Boolean enableSuperuserAccess, Storage storage, Affinity affinity, Postgresql postgresql,
            ResourceRequirements resources) {
    }

    public record Bootstrap(InitDb initdb) {
    }

    public record InitDb(String database, String owner) {
    }

    public record Storage(String size, String storageClass) {
    }

    public record Affinity(Boolean enablePodAntiAffinity, String topologyKey, String podAntiAffinityType) {
    }

    public record Postgresql(Map<String, String> parameters) {
    }

    /** The operator's Service of the primary. */
    public String readWriteService() {
        return metadata.getName() + "-rw";
    }

    /** The operator's Secret of the database owner (username, password, host, port, dbname, uri, jdbc-uri, pgpass). */
    public String appSecret() {
        return metadata.getName() + "-app";
    }

    /** The operator's Secret with the CA ({@code ca.crt}) that signed the server certificates. */
    public String caSecret() {
        return metadata.getName() + "-ca";
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }
}
