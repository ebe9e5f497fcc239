package dev.gridstate.bench;

/** The benchmark command (being built). */
public final class Bench {
    public static void main(String[] args) {
        System.out.println("bench");
    }
}
