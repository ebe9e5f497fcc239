package dev.gridstate.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * The Kubernetes API schema, as the official Java client's generated models carry it (they are
 * generated from the API's OpenAPI document): {@code validateJsonElement} rejects a field the API
 * does not define and a required one that is missing, at every depth; reading the object into
 * its model rejects a value of the wrong type (a port that is not a number).
 */
final class KubernetesSchema {

    private static final String MODELS = "io.kubernetes.client.openapi.models.";
    private static final Gson GSON = new Gson();
    private static final JSON MODEL_JSON = new JSON();

    private KubernetesSchema() {
    }

    /** What is wrong with {@code object} against its kind's schema: nothing, or one message. */
    static List<String> problems(K8sObject object) {
        Class<?> model;
        try {
            model = Class.forName(modelName(object.apiVersion(), object.kind()));
        } catch (ClassNotFoundException e) {
            return List.of(object.where() + ": the Kubernetes client has no model for " + object.apiVersion() + " "
                    + object.kind() + ", so it cannot be checked (a kind this project does not use yet?)");
        }
        JsonElement json = GSON.toJsonTree(object.raw());
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
            MODEL_JSON.deserialize(json.toString(), model);
            return List.of();
        } catch (InvocationTargetException e) {
            return List.of(object.where() + ": " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            return List.of(object.where() + ": " + e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no validateJsonElement: another version of client-java-api?", e);
        }
    }

    /** {@code apps/v1} + {@code Deployment} → {@code V1Deployment}; {@code v1} + {@code Service} → {@code V1Service}. */
    static String modelName(String apiVersion, String kind) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return MODELS + Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
    }
}
