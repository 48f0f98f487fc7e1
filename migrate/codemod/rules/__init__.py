"""One rule per module; `migrate.codemod.registry` lists them in the order they run."""
