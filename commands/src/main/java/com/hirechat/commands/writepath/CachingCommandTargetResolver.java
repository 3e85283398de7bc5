package com.hirechat.commands.writepath;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Axon's {@link AnnotationCommandTargetResolver}, with its reflective search for the annotated member done once per
 * command class instead of on every command (a visible share of the send path's CPU, docs/benchmarks.md). Commands it cannot serve
 * exactly (a target version, no public annotated accessor) go to Axon's resolver, which also reports the errors.
 */
final class CachingCommandTargetResolver implements CommandTargetResolver {

    private static final ClassValue<Optional<MethodHandle>> IDENTIFIER_ACCESSORS = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> commandType) {
            return identifierAccessor(commandType);
        }
    };

    private final CommandTargetResolver annotations = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        var accessor = IDENTIFIER_ACCESSORS.get(command.getPayloadType());
        if (accessor.isEmpty()) {
            return annotations.resolveTarget(command);
        }
        Object identifier;
        try {
            identifier = accessor.get().invoke(command.getPayload());
        } catch (Throwable e) {
            throw new IllegalArgumentException("An exception occurred while extracting the target aggregate of "
                    + command.getPayloadType().getSimpleName(), e);
        }
        if (identifier == null) {
            return annotations.resolveTarget(command);
        }
        return new VersionedAggregateIdentifier(identifier, null);
    }

    private static Optional<MethodHandle> identifierAccessor(Class<?> commandType) {
        if (!Modifier.isPublic(commandType.getModifiers())
                || !annotated(commandType, TargetAggregateVersion.class).isEmpty()) {
            return Optional.empty();
        }
        var members = annotated(commandType, TargetAggregateIdentifier.class);
        var methods = members.stream().filter(Method.class::isInstance).map(Method.class::cast).toList();
        // a record component's annotation sits on its public accessor and on its private field: the same value
        var otherFields = !commandType.isRecord() && members.stream().anyMatch(Field.class::isInstance);
        if (methods.size() != 1 || otherFields) {
            return Optional.empty();
        }
        var accessor = methods.getFirst();
        if (!Modifier.isPublic(accessor.getModifiers()) || accessor.getParameterCount() != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(MethodHandles.publicLookup().unreflect(accessor));
        } catch (IllegalAccessException e) {
            return Optional.empty();
        }
    }

    /** The type's own and inherited fields and methods, of any visibility, that carry the annotation. */
    private static List<Member> annotated(Class<?> type, Class<? extends Annotation> annotation) {
        return Stream.<Class<?>>iterate(type, t -> t != null && t != Object.class, Class::getSuperclass)
                .flatMap(t -> Stream.<AccessibleObject>concat(Arrays.stream(t.getDeclaredMethods()),
                        Arrays.stream(t.getDeclaredFields())))
                .filter(member -> member.isAnnotationPresent(annotation))
                .map(Member.class::cast)
                .toList();
    }
}
