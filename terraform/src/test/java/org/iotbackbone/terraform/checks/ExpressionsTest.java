package org.iotbackbone.terraform.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotbackbone.terraform.checks.Expressions.Reference;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

  @Test
  void aPlainStringHasNoExpressions() {
    assertThat(Expressions.of("arn:aws:iam::aws:policy/var.x")).isEmpty();
    assertThat(Expressions.references("literal $${var.x} and %%{if}")).isEmpty();
  }

  @Test
  void readsEveryKindOfReference() {
    assertThat(
            Expressions.references(
                "${merge(var.tags, local.extra, module.net.vpc_id, data.aws_region.current.name,"
                    + " aws_subnet.private[*].id, aws_vpc.this[0].arn)}"))
        .containsExactly(
            new Reference("var", "tags", null),
            new Reference("local", "extra", null),
            new Reference("module", "net", "vpc_id"),
            new Reference("data", "aws_region.current", "name"),
            new Reference("resource", "aws_subnet.private", "id"),
            new Reference("resource", "aws_vpc.this", "arn"));
  }

  @Test
  void stringLiteralsInsideExpressionsAreNotReferencesButTheirInterpolationsAre() {
    assertThat(
            Expressions.references(
                "${merge(local.a, { Name = \"var.not_this ${var.name}-x\", \"local.nor_this\" = 1 })}"))
        .containsExactlyInAnyOrder(
            new Reference("local", "a", null), new Reference("var", "name", null));
  }

  @Test
  void indexExpressionsAreReadToo() {
    assertThat(Expressions.references("${aws_nat_gateway.this[var.per_zone ? count.index : 0].id}"))
        .containsExactly(
            new Reference("resource", "aws_nat_gateway.this", null),
            new Reference("var", "per_zone", null));
  }

  @Test
  void iteratorsAndBuiltInsAreNotReferences() {
    assertThat(
            Expressions.references(
                "${[for k, v in var.groups : v.size if each.value.ok && count.index > path.module]}"))
        .containsExactly(new Reference("var", "groups", null));
  }

  @Test
  void templatesKeepTheirTextAndFindEachInterpolation() {
    assertThat(Expressions.of("a ${var.x} b %{ if var.y }c%{ endif }"))
        .isEqualTo(List.of("var.x", " if var.y ", " endif "));
  }
}
