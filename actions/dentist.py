"""The dentist topic."""

from actions.topic_reply import TopicReply


class ActionDentist(TopicReply):
    topic = "dentist"
